# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_accessgrant_global_optspecs
    string join \n app= e/env= profile= region= endpoint-url= role-arn= o/output= wide config= q/quiet v/verbose no-color dry-run y/yes h/help V/version
end

function __fish_accessgrant_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_accessgrant_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_accessgrant_using_subcommand
    set -l cmd (__fish_accessgrant_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c accessgrant -n "__fish_accessgrant_needs_command" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c accessgrant -n "__fish_accessgrant_needs_command" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c accessgrant -n "__fish_accessgrant_needs_command" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c accessgrant -n "__fish_accessgrant_needs_command" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c accessgrant -n "__fish_accessgrant_needs_command" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c accessgrant -n "__fish_accessgrant_needs_command" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c accessgrant -n "__fish_accessgrant_needs_command" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c accessgrant -n "__fish_accessgrant_needs_command" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c accessgrant -n "__fish_accessgrant_needs_command" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c accessgrant -n "__fish_accessgrant_needs_command" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c accessgrant -n "__fish_accessgrant_needs_command" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c accessgrant -n "__fish_accessgrant_needs_command" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c accessgrant -n "__fish_accessgrant_needs_command" -l dry-run -d 'Say what would change, change nothing'
complete -c accessgrant -n "__fish_accessgrant_needs_command" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c accessgrant -n "__fish_accessgrant_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c accessgrant -n "__fish_accessgrant_needs_command" -s V -l version -d 'Print version'
complete -c accessgrant -n "__fish_accessgrant_needs_command" -f -a "request" -d 'Ask for access: pending, or active at once where the tier needs no approval'
complete -c accessgrant -n "__fish_accessgrant_needs_command" -f -a "approve" -d 'Approve a pending grant (or its pending extension); enough distinct approvals activate it'
complete -c accessgrant -n "__fish_accessgrant_needs_command" -f -a "deny" -d 'Deny a pending grant (or its pending extension)'
complete -c accessgrant -n "__fish_accessgrant_needs_command" -f -a "ls" -d 'List the app\'s grants (all of them, or those in the given states; -e ENV for one environment)'
complete -c accessgrant -n "__fish_accessgrant_needs_command" -f -a "show" -d 'One grant, in full'
complete -c accessgrant -n "__fish_accessgrant_needs_command" -f -a "revoke" -d 'End grants now and remove their access (idempotent; - reads grant records from stdin)'
complete -c accessgrant -n "__fish_accessgrant_needs_command" -f -a "extend" -d 'Ask for more time on an active grant (approved again where the tier needs approvals)'
complete -c accessgrant -n "__fish_accessgrant_needs_command" -f -a "sweep" -d 'Mark expired grants, remove their access, and remove any accessgrant-* policy no active grant accounts for (safe to run from cron)'
complete -c accessgrant -n "__fish_accessgrant_needs_command" -f -a "audit" -d 'The event log, in order, as evidence (-o csv for auditors)'
complete -c accessgrant -n "__fish_accessgrant_needs_command" -f -a "connect" -d 'Open the SSM shell (or a port forward) an active grant allows, as its grantee, with the AWS CLI\'s `ssm start-session` (needs the Session Manager plugin); recorded as `connected`'
complete -c accessgrant -n "__fish_accessgrant_needs_command" -f -a "policy" -d 'Print the IAM policy a grant of ROLE in the -e environment would attach'
complete -c accessgrant -n "__fish_accessgrant_needs_command" -f -a "doctor" -d 'Check credentials, region, endpoint, config file and environment (run this first when something is off)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand request" -l role -d 'The role to grant, from [accessgrant.roles] (the environment comes from -e/--env)' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand request" -l for -d 'How long the access lasts once active (at most the role\'s max_duration)' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand request" -l reason -d 'Why: for the approvers and the audit log' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand request" -l ticket -d 'A ticket or incident to link' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand request" -l to -d 'Grant it to this IAM user or role (user/NAME, role/NAME or an ARN; with Identity Center, a user name) [default: you]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand request" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand request" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand request" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand request" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand request" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand request" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand request" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c accessgrant -n "__fish_accessgrant_using_subcommand request" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c accessgrant -n "__fish_accessgrant_using_subcommand request" -l break-glass -d 'Emergency access without approval: self-approved, short (break_glass_max, default 1h), flagged in `ls` and the audit log'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand request" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand request" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand request" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand request" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand request" -l dry-run -d 'Say what would change, change nothing'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand request" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand request" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand request" -s V -l version -d 'Print version'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand approve" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand approve" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand approve" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand approve" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand approve" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand approve" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand approve" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c accessgrant -n "__fish_accessgrant_using_subcommand approve" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c accessgrant -n "__fish_accessgrant_using_subcommand approve" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand approve" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand approve" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand approve" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand approve" -l dry-run -d 'Say what would change, change nothing'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand approve" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand approve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand approve" -s V -l version -d 'Print version'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand deny" -l reason -d 'Why, for the requester and the audit log' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand deny" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand deny" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand deny" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand deny" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand deny" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand deny" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand deny" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c accessgrant -n "__fish_accessgrant_using_subcommand deny" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c accessgrant -n "__fish_accessgrant_using_subcommand deny" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand deny" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand deny" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand deny" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand deny" -l dry-run -d 'Say what would change, change nothing'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand deny" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand deny" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand deny" -s V -l version -d 'Print version'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand ls" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand ls" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand ls" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand ls" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand ls" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand ls" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand ls" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c accessgrant -n "__fish_accessgrant_using_subcommand ls" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c accessgrant -n "__fish_accessgrant_using_subcommand ls" -l active -d 'Active grants'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand ls" -l pending -d 'Grants waiting for approval'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand ls" -l expired -d 'Grants past their expiry'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand ls" -l mine -d 'Only grants you asked for or hold'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand ls" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand ls" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand ls" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand ls" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand ls" -l dry-run -d 'Say what would change, change nothing'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand ls" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand ls" -s V -l version -d 'Print version'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand show" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand show" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand show" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand show" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand show" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand show" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand show" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c accessgrant -n "__fish_accessgrant_using_subcommand show" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c accessgrant -n "__fish_accessgrant_using_subcommand show" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand show" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand show" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand show" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand show" -l dry-run -d 'Say what would change, change nothing'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand show" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand show" -s V -l version -d 'Print version'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand revoke" -l reason -d 'Why, for the audit log' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand revoke" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand revoke" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand revoke" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand revoke" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand revoke" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand revoke" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand revoke" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c accessgrant -n "__fish_accessgrant_using_subcommand revoke" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c accessgrant -n "__fish_accessgrant_using_subcommand revoke" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand revoke" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand revoke" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand revoke" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand revoke" -l dry-run -d 'Say what would change, change nothing'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand revoke" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand revoke" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand revoke" -s V -l version -d 'Print version'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand extend" -l for -d 'How much longer' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand extend" -l reason -d 'Why, for the approvers and the audit log' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand extend" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand extend" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand extend" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand extend" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand extend" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand extend" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand extend" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c accessgrant -n "__fish_accessgrant_using_subcommand extend" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c accessgrant -n "__fish_accessgrant_using_subcommand extend" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand extend" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand extend" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand extend" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand extend" -l dry-run -d 'Say what would change, change nothing'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand extend" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand extend" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand extend" -s V -l version -d 'Print version'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand sweep" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand sweep" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand sweep" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand sweep" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand sweep" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand sweep" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand sweep" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c accessgrant -n "__fish_accessgrant_using_subcommand sweep" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c accessgrant -n "__fish_accessgrant_using_subcommand sweep" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand sweep" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand sweep" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand sweep" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand sweep" -l dry-run -d 'Say what would change, change nothing'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand sweep" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand sweep" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand sweep" -s V -l version -d 'Print version'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand audit" -l since -d 'From this long ago (30d, 12h) or this date (2026-11-01) on [default: everything]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand audit" -l grant -d 'Only this grant\'s events' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand audit" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand audit" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand audit" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand audit" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand audit" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand audit" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand audit" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c accessgrant -n "__fish_accessgrant_using_subcommand audit" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c accessgrant -n "__fish_accessgrant_using_subcommand audit" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand audit" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand audit" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand audit" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand audit" -l dry-run -d 'Say what would change, change nothing'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand audit" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand audit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand audit" -s V -l version -d 'Print version'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand connect" -l target -d 'The instance or managed node [default: the one the grant names, if it names one]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand connect" -l port-forward -d 'Forward a local port to HOST:PORT as the instance reaches it' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand connect" -l local-port -d 'The local port of the forward [default: the remote port]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand connect" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand connect" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand connect" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand connect" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand connect" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand connect" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand connect" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c accessgrant -n "__fish_accessgrant_using_subcommand connect" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c accessgrant -n "__fish_accessgrant_using_subcommand connect" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand connect" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand connect" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand connect" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand connect" -l dry-run -d 'Say what would change, change nothing'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand connect" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand connect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand connect" -s V -l version -d 'Print version'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand policy" -l for -d 'The grant\'s duration [default: the role\'s max_duration]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand policy" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand policy" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand policy" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand policy" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand policy" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand policy" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand policy" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c accessgrant -n "__fish_accessgrant_using_subcommand policy" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c accessgrant -n "__fish_accessgrant_using_subcommand policy" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand policy" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand policy" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand policy" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand policy" -l dry-run -d 'Say what would change, change nothing'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand policy" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand policy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand policy" -s V -l version -d 'Print version'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand doctor" -l iam-policy -d 'Print the least IAM policy the named commands need (every command when none is named)' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand doctor" -l check-permissions -d 'Ask IAM\'s policy simulator whether you hold what the named commands need (every command when none is named): a finding per action, exit 1 when any is missing' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand doctor" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand doctor" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand doctor" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand doctor" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand doctor" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand doctor" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c accessgrant -n "__fish_accessgrant_using_subcommand doctor" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c accessgrant -n "__fish_accessgrant_using_subcommand doctor" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c accessgrant -n "__fish_accessgrant_using_subcommand doctor" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand doctor" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand doctor" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand doctor" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand doctor" -l dry-run -d 'Say what would change, change nothing'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand doctor" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c accessgrant -n "__fish_accessgrant_using_subcommand doctor" -s V -l version -d 'Print version'
