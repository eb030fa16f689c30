# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_costq_global_optspecs
    string join \n app= e/env= profile= region= endpoint-url= role-arn= o/output= wide config= q/quiet v/verbose no-color dry-run y/yes month= last-month from= to= days= daily monthly as-of= by= metric= exclude= split top= total compare forecast source= database= table= workgroup= print-sql no-cache h/help V/version
end

function __fish_costq_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_costq_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_costq_using_subcommand
    set -l cmd (__fish_costq_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c costq -n "__fish_costq_needs_command" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c costq -n "__fish_costq_needs_command" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c costq -n "__fish_costq_needs_command" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c costq -n "__fish_costq_needs_command" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c costq -n "__fish_costq_needs_command" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c costq -n "__fish_costq_needs_command" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c costq -n "__fish_costq_needs_command" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c costq -n "__fish_costq_needs_command" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c costq -n "__fish_costq_needs_command" -l month -d 'This month to date (the default), or the month given' -r
complete -c costq -n "__fish_costq_needs_command" -l from -d 'From this day (inclusive; with --to)' -r
complete -c costq -n "__fish_costq_needs_command" -l to -d 'To this day (inclusive)' -r
complete -c costq -n "__fish_costq_needs_command" -l days -d 'The N days ending yesterday' -r
complete -c costq -n "__fish_costq_needs_command" -l as-of -d 'Compute periods as if today were DATE [default: today, UTC]' -r
complete -c costq -n "__fish_costq_needs_command" -l by -d 'Group by: service, account, region, usage-type, operation, charge-type, tag:KEY, env (the environment tag); repeatable' -r
complete -c costq -n "__fish_costq_needs_command" -l metric -d 'Which cost' -r -f -a "unblended\t'What each usage cost at the rate charged (FOCUS: BilledCost)'
net-unblended\t'Unblended after discounts (FOCUS: BilledCost)'
amortized\t'Reservations and Savings Plans spread over the usage they cover (FOCUS: EffectiveCost)'
net-amortized\t'Amortized after discounts (FOCUS: EffectiveCost)'
blended\t'Averaged over an organisation\'s accounts'"
complete -c costq -n "__fish_costq_needs_command" -l exclude -d 'Leave out these charges (comma-separated)' -r -f -a "credits\t''
refunds\t''
tax\t''"
complete -c costq -n "__fish_costq_needs_command" -l top -d 'Keep the N groups that cost most; sum the rest as `other`' -r
complete -c costq -n "__fish_costq_needs_command" -l source -d 'ce (Cost Explorer), athena, or billing export files: FILE, DIR or s3://bucket/prefix [default: `source` in [costq] of opskit.toml, else ce]' -r
complete -c costq -n "__fish_costq_needs_command" -l database -d 'Athena: the database of the export\'s table' -r
complete -c costq -n "__fish_costq_needs_command" -l table -d 'Athena: the export\'s table' -r
complete -c costq -n "__fish_costq_needs_command" -l workgroup -d 'Athena: the workgroup to run in' -r
complete -c costq -n "__fish_costq_needs_command" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c costq -n "__fish_costq_needs_command" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c costq -n "__fish_costq_needs_command" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c costq -n "__fish_costq_needs_command" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c costq -n "__fish_costq_needs_command" -l dry-run -d 'Say what would change, change nothing'
complete -c costq -n "__fish_costq_needs_command" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c costq -n "__fish_costq_needs_command" -l last-month -d 'The last calendar month'
complete -c costq -n "__fish_costq_needs_command" -l daily -d 'A record per day'
complete -c costq -n "__fish_costq_needs_command" -l monthly -d 'A record per calendar month'
complete -c costq -n "__fish_costq_needs_command" -l split -d 'Show usage, credits, refunds and tax as fields of their own beside amount'
complete -c costq -n "__fish_costq_needs_command" -l total -d 'Add a total record (per period bucket)'
complete -c costq -n "__fish_costq_needs_command" -l compare -d 'Add the previous equal period: previous, delta, delta_pct'
complete -c costq -n "__fish_costq_needs_command" -l forecast -d 'Add Cost Explorer\'s forecast to the end of this month, with its 80% interval'
complete -c costq -n "__fish_costq_needs_command" -l print-sql -d 'Athena: print the SQL instead of running it'
complete -c costq -n "__fish_costq_needs_command" -l no-cache -d 'Cost Explorer: ask again even for closed periods answered before (refreshes the cache)'
complete -c costq -n "__fish_costq_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c costq -n "__fish_costq_needs_command" -s V -l version -d 'Print version'
complete -c costq -n "__fish_costq_needs_command" -a "check" -d 'Exit 1 when the period\'s spend (or, with --forecast, the month\'s projected total) exceeds a budget; prints the record either way'
complete -c costq -n "__fish_costq_needs_command" -a "anomalies" -d 'Days whose cost departs from the trailing baseline, per group (exit 1 when any)'
complete -c costq -n "__fish_costq_needs_command" -a "report" -d 'Write a self-contained HTML report: a daily chart by service, top movers, tables'
complete -c costq -n "__fish_costq_needs_command" -a "doctor" -d 'Check credentials, region, endpoint, config file and environment (run this first when something is off)'
complete -c costq -n "__fish_costq_using_subcommand check" -l budget -d 'The budget, in the costs\' currency (5000, 1234.56)' -r
complete -c costq -n "__fish_costq_using_subcommand check" -l month -d 'This month to date (the default), or the month given' -r
complete -c costq -n "__fish_costq_using_subcommand check" -l from -d 'From this day (inclusive; with --to)' -r
complete -c costq -n "__fish_costq_using_subcommand check" -l to -d 'To this day (inclusive)' -r
complete -c costq -n "__fish_costq_using_subcommand check" -l days -d 'The N days ending yesterday' -r
complete -c costq -n "__fish_costq_using_subcommand check" -l as-of -d 'Compute periods as if today were DATE [default: today, UTC]' -r
complete -c costq -n "__fish_costq_using_subcommand check" -l metric -d 'Which cost' -r -f -a "unblended\t'What each usage cost at the rate charged (FOCUS: BilledCost)'
net-unblended\t'Unblended after discounts (FOCUS: BilledCost)'
amortized\t'Reservations and Savings Plans spread over the usage they cover (FOCUS: EffectiveCost)'
net-amortized\t'Amortized after discounts (FOCUS: EffectiveCost)'
blended\t'Averaged over an organisation\'s accounts'"
complete -c costq -n "__fish_costq_using_subcommand check" -l exclude -d 'Leave out these charges (comma-separated)' -r -f -a "credits\t''
refunds\t''
tax\t''"
complete -c costq -n "__fish_costq_using_subcommand check" -l source -d 'ce (Cost Explorer), athena, or billing export files: FILE, DIR or s3://bucket/prefix [default: `source` in [costq] of opskit.toml, else ce]' -r
complete -c costq -n "__fish_costq_using_subcommand check" -l database -d 'Athena: the database of the export\'s table' -r
complete -c costq -n "__fish_costq_using_subcommand check" -l table -d 'Athena: the export\'s table' -r
complete -c costq -n "__fish_costq_using_subcommand check" -l workgroup -d 'Athena: the workgroup to run in' -r
complete -c costq -n "__fish_costq_using_subcommand check" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c costq -n "__fish_costq_using_subcommand check" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c costq -n "__fish_costq_using_subcommand check" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c costq -n "__fish_costq_using_subcommand check" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c costq -n "__fish_costq_using_subcommand check" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c costq -n "__fish_costq_using_subcommand check" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c costq -n "__fish_costq_using_subcommand check" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c costq -n "__fish_costq_using_subcommand check" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c costq -n "__fish_costq_using_subcommand check" -l forecast -d 'Check the month\'s projected total (spend so far plus Cost Explorer\'s forecast) instead'
complete -c costq -n "__fish_costq_using_subcommand check" -l last-month -d 'The last calendar month'
complete -c costq -n "__fish_costq_using_subcommand check" -l daily -d 'A record per day'
complete -c costq -n "__fish_costq_using_subcommand check" -l monthly -d 'A record per calendar month'
complete -c costq -n "__fish_costq_using_subcommand check" -l print-sql -d 'Athena: print the SQL instead of running it'
complete -c costq -n "__fish_costq_using_subcommand check" -l no-cache -d 'Cost Explorer: ask again even for closed periods answered before (refreshes the cache)'
complete -c costq -n "__fish_costq_using_subcommand check" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c costq -n "__fish_costq_using_subcommand check" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c costq -n "__fish_costq_using_subcommand check" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c costq -n "__fish_costq_using_subcommand check" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c costq -n "__fish_costq_using_subcommand check" -l dry-run -d 'Say what would change, change nothing'
complete -c costq -n "__fish_costq_using_subcommand check" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c costq -n "__fish_costq_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c costq -n "__fish_costq_using_subcommand check" -s V -l version -d 'Print version'
complete -c costq -n "__fish_costq_using_subcommand anomalies" -l days -d 'The days to look at, ending yesterday' -r
complete -c costq -n "__fish_costq_using_subcommand anomalies" -l by -d 'Group by: service, account, region, usage-type, operation, charge-type, tag:KEY, env (the environment tag); repeatable' -r
complete -c costq -n "__fish_costq_using_subcommand anomalies" -l baseline -d 'How many days before each day make its baseline' -r
complete -c costq -n "__fish_costq_using_subcommand anomalies" -l threshold -d 'How far from the baseline a day must be, in robust standard deviations' -r
complete -c costq -n "__fish_costq_using_subcommand anomalies" -l min-delta -d 'The smallest change worth reporting, in the costs\' currency' -r
complete -c costq -n "__fish_costq_using_subcommand anomalies" -l as-of -d 'Compute the days as if today were DATE [default: today, UTC]' -r
complete -c costq -n "__fish_costq_using_subcommand anomalies" -l metric -d 'Which cost' -r -f -a "unblended\t'What each usage cost at the rate charged (FOCUS: BilledCost)'
net-unblended\t'Unblended after discounts (FOCUS: BilledCost)'
amortized\t'Reservations and Savings Plans spread over the usage they cover (FOCUS: EffectiveCost)'
net-amortized\t'Amortized after discounts (FOCUS: EffectiveCost)'
blended\t'Averaged over an organisation\'s accounts'"
complete -c costq -n "__fish_costq_using_subcommand anomalies" -l exclude -d 'Leave out these charges (comma-separated)' -r -f -a "credits\t''
refunds\t''
tax\t''"
complete -c costq -n "__fish_costq_using_subcommand anomalies" -l source -d 'ce (Cost Explorer), athena, or billing export files: FILE, DIR or s3://bucket/prefix [default: `source` in [costq] of opskit.toml, else ce]' -r
complete -c costq -n "__fish_costq_using_subcommand anomalies" -l database -d 'Athena: the database of the export\'s table' -r
complete -c costq -n "__fish_costq_using_subcommand anomalies" -l table -d 'Athena: the export\'s table' -r
complete -c costq -n "__fish_costq_using_subcommand anomalies" -l workgroup -d 'Athena: the workgroup to run in' -r
complete -c costq -n "__fish_costq_using_subcommand anomalies" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c costq -n "__fish_costq_using_subcommand anomalies" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c costq -n "__fish_costq_using_subcommand anomalies" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c costq -n "__fish_costq_using_subcommand anomalies" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c costq -n "__fish_costq_using_subcommand anomalies" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c costq -n "__fish_costq_using_subcommand anomalies" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c costq -n "__fish_costq_using_subcommand anomalies" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c costq -n "__fish_costq_using_subcommand anomalies" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c costq -n "__fish_costq_using_subcommand anomalies" -l print-sql -d 'Athena: print the SQL instead of running it'
complete -c costq -n "__fish_costq_using_subcommand anomalies" -l no-cache -d 'Cost Explorer: ask again even for closed periods answered before (refreshes the cache)'
complete -c costq -n "__fish_costq_using_subcommand anomalies" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c costq -n "__fish_costq_using_subcommand anomalies" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c costq -n "__fish_costq_using_subcommand anomalies" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c costq -n "__fish_costq_using_subcommand anomalies" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c costq -n "__fish_costq_using_subcommand anomalies" -l dry-run -d 'Say what would change, change nothing'
complete -c costq -n "__fish_costq_using_subcommand anomalies" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c costq -n "__fish_costq_using_subcommand anomalies" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c costq -n "__fish_costq_using_subcommand anomalies" -s V -l version -d 'Print version'
complete -c costq -n "__fish_costq_using_subcommand report" -l html -d 'Write the report to this HTML file' -r -F
complete -c costq -n "__fish_costq_using_subcommand report" -l month -d 'This month to date (the default), or the month given' -r
complete -c costq -n "__fish_costq_using_subcommand report" -l from -d 'From this day (inclusive; with --to)' -r
complete -c costq -n "__fish_costq_using_subcommand report" -l to -d 'To this day (inclusive)' -r
complete -c costq -n "__fish_costq_using_subcommand report" -l days -d 'The N days ending yesterday' -r
complete -c costq -n "__fish_costq_using_subcommand report" -l as-of -d 'Compute periods as if today were DATE [default: today, UTC]' -r
complete -c costq -n "__fish_costq_using_subcommand report" -l by -d 'Group by: service, account, region, usage-type, operation, charge-type, tag:KEY, env (the environment tag); repeatable' -r
complete -c costq -n "__fish_costq_using_subcommand report" -l metric -d 'Which cost' -r -f -a "unblended\t'What each usage cost at the rate charged (FOCUS: BilledCost)'
net-unblended\t'Unblended after discounts (FOCUS: BilledCost)'
amortized\t'Reservations and Savings Plans spread over the usage they cover (FOCUS: EffectiveCost)'
net-amortized\t'Amortized after discounts (FOCUS: EffectiveCost)'
blended\t'Averaged over an organisation\'s accounts'"
complete -c costq -n "__fish_costq_using_subcommand report" -l exclude -d 'Leave out these charges (comma-separated)' -r -f -a "credits\t''
refunds\t''
tax\t''"
complete -c costq -n "__fish_costq_using_subcommand report" -l source -d 'ce (Cost Explorer), athena, or billing export files: FILE, DIR or s3://bucket/prefix [default: `source` in [costq] of opskit.toml, else ce]' -r
complete -c costq -n "__fish_costq_using_subcommand report" -l database -d 'Athena: the database of the export\'s table' -r
complete -c costq -n "__fish_costq_using_subcommand report" -l table -d 'Athena: the export\'s table' -r
complete -c costq -n "__fish_costq_using_subcommand report" -l workgroup -d 'Athena: the workgroup to run in' -r
complete -c costq -n "__fish_costq_using_subcommand report" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c costq -n "__fish_costq_using_subcommand report" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c costq -n "__fish_costq_using_subcommand report" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c costq -n "__fish_costq_using_subcommand report" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c costq -n "__fish_costq_using_subcommand report" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c costq -n "__fish_costq_using_subcommand report" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c costq -n "__fish_costq_using_subcommand report" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c costq -n "__fish_costq_using_subcommand report" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c costq -n "__fish_costq_using_subcommand report" -l last-month -d 'The last calendar month'
complete -c costq -n "__fish_costq_using_subcommand report" -l daily -d 'A record per day'
complete -c costq -n "__fish_costq_using_subcommand report" -l monthly -d 'A record per calendar month'
complete -c costq -n "__fish_costq_using_subcommand report" -l print-sql -d 'Athena: print the SQL instead of running it'
complete -c costq -n "__fish_costq_using_subcommand report" -l no-cache -d 'Cost Explorer: ask again even for closed periods answered before (refreshes the cache)'
complete -c costq -n "__fish_costq_using_subcommand report" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c costq -n "__fish_costq_using_subcommand report" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c costq -n "__fish_costq_using_subcommand report" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c costq -n "__fish_costq_using_subcommand report" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c costq -n "__fish_costq_using_subcommand report" -l dry-run -d 'Say what would change, change nothing'
complete -c costq -n "__fish_costq_using_subcommand report" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c costq -n "__fish_costq_using_subcommand report" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c costq -n "__fish_costq_using_subcommand report" -s V -l version -d 'Print version'
complete -c costq -n "__fish_costq_using_subcommand doctor" -l iam-policy -d 'Print the least IAM policy the named commands need (every command when none is named)' -r
complete -c costq -n "__fish_costq_using_subcommand doctor" -l check-permissions -d 'Ask IAM\'s policy simulator whether you hold what the named commands need (every command when none is named): a finding per action, exit 1 when any is missing' -r
complete -c costq -n "__fish_costq_using_subcommand doctor" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c costq -n "__fish_costq_using_subcommand doctor" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c costq -n "__fish_costq_using_subcommand doctor" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c costq -n "__fish_costq_using_subcommand doctor" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c costq -n "__fish_costq_using_subcommand doctor" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c costq -n "__fish_costq_using_subcommand doctor" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c costq -n "__fish_costq_using_subcommand doctor" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c costq -n "__fish_costq_using_subcommand doctor" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c costq -n "__fish_costq_using_subcommand doctor" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c costq -n "__fish_costq_using_subcommand doctor" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c costq -n "__fish_costq_using_subcommand doctor" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c costq -n "__fish_costq_using_subcommand doctor" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c costq -n "__fish_costq_using_subcommand doctor" -l dry-run -d 'Say what would change, change nothing'
complete -c costq -n "__fish_costq_using_subcommand doctor" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c costq -n "__fish_costq_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c costq -n "__fish_costq_using_subcommand doctor" -s V -l version -d 'Print version'
