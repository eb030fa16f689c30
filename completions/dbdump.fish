# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_dbdump_global_optspecs
    string join \n app= e/env= profile= region= endpoint-url= role-arn= o/output= wide config= q/quiet v/verbose no-color dry-run y/yes store= h/help V/version
end

function __fish_dbdump_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_dbdump_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_dbdump_using_subcommand
    set -l cmd (__fish_dbdump_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c dbdump -n "__fish_dbdump_needs_command" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c dbdump -n "__fish_dbdump_needs_command" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c dbdump -n "__fish_dbdump_needs_command" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c dbdump -n "__fish_dbdump_needs_command" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c dbdump -n "__fish_dbdump_needs_command" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c dbdump -n "__fish_dbdump_needs_command" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c dbdump -n "__fish_dbdump_needs_command" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c dbdump -n "__fish_dbdump_needs_command" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c dbdump -n "__fish_dbdump_needs_command" -l store -d 'Where dumps are kept: DIR or s3://bucket/prefix [default: `[dbdump] store`, else ~/.local/share/opskit/dumps]' -r
complete -c dbdump -n "__fish_dbdump_needs_command" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c dbdump -n "__fish_dbdump_needs_command" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c dbdump -n "__fish_dbdump_needs_command" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c dbdump -n "__fish_dbdump_needs_command" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c dbdump -n "__fish_dbdump_needs_command" -l dry-run -d 'Say what would change, change nothing'
complete -c dbdump -n "__fish_dbdump_needs_command" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c dbdump -n "__fish_dbdump_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dbdump -n "__fish_dbdump_needs_command" -s V -l version -d 'Print version'
complete -c dbdump -n "__fish_dbdump_needs_command" -f -a "create" -d 'Dump a database, sanitised, into the store (the dump record on stdout)'
complete -c dbdump -n "__fish_dbdump_needs_command" -f -a "ls" -d 'List dumps: the app\'s, or with -e one environment\'s (complete ones unless --all)'
complete -c dbdump -n "__fish_dbdump_needs_command" -f -a "restore" -d 'Restore a dump (ID, `latest`, or `-` for a dump record on stdin) into a database'
complete -c dbdump -n "__fish_dbdump_needs_command" -f -a "cat" -d 'Print a dump\'s SQL (verified, decompressed) on stdout'
complete -c dbdump -n "__fish_dbdump_needs_command" -f -a "rm" -d 'Delete dumps (ids, or `-` for dump records on stdin)'
complete -c dbdump -n "__fish_dbdump_needs_command" -f -a "prune" -d 'Delete old dumps: beyond the newest N of each environment, older than a duration'
complete -c dbdump -n "__fish_dbdump_needs_command" -f -a "lint" -d 'Report every column that looks personal and has no rule (exit 1 when any)'
complete -c dbdump -n "__fish_dbdump_needs_command" -f -a "rules" -d 'Rules files'
complete -c dbdump -n "__fish_dbdump_needs_command" -f -a "compare" -d 'Compare two databases table by table: rows and content (exit 1 on any difference)'
complete -c dbdump -n "__fish_dbdump_needs_command" -f -a "doctor" -d 'Check credentials, region, endpoint, config file and environment (run this first when something is off)'
complete -c dbdump -n "__fish_dbdump_using_subcommand create" -l url -d 'The database: postgres://, postgresql://, mysql:// or mariadb:// (no password in it: use PGPASSWORD, ~/.pgpass or MYSQL_PWD) [default: the -e environment\'s DATABASE_URL]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand create" -l rds-instance -d 'An RDS instance: endpoint, port and engine from DescribeDBInstances' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand create" -l database -d 'The database name (with --rds-instance, or to override the URL\'s)' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand create" -l user -d 'The database user (with --rds-instance: default its master user)' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand create" -l rules -d 'The rules file [default: `[dbdump] rules` in opskit.toml]' -r -F
complete -c dbdump -n "__fish_dbdump_using_subcommand create" -l tables -d 'Only these tables (repeatable)' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand create" -l exclude-tables -d 'Leave these tables out (repeatable)' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand create" -l reason -d 'Why the dump is not sanitised' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand create" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand create" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand create" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand create" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand create" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand create" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand create" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c dbdump -n "__fish_dbdump_using_subcommand create" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c dbdump -n "__fish_dbdump_using_subcommand create" -l store -d 'Where dumps are kept: DIR or s3://bucket/prefix [default: `[dbdump] store`, else ~/.local/share/opskit/dumps]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand create" -l iam-auth -d 'Sign in with an RDS IAM authentication token instead of a password'
complete -c dbdump -n "__fish_dbdump_using_subcommand create" -l schema-only -d 'The schema only, no rows'
complete -c dbdump -n "__fish_dbdump_using_subcommand create" -l no-sanitise -d 'Dump the data as it is (a MariaDB→RDS move); needs --reason, which the manifest records'
complete -c dbdump -n "__fish_dbdump_using_subcommand create" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c dbdump -n "__fish_dbdump_using_subcommand create" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c dbdump -n "__fish_dbdump_using_subcommand create" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c dbdump -n "__fish_dbdump_using_subcommand create" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c dbdump -n "__fish_dbdump_using_subcommand create" -l dry-run -d 'Say what would change, change nothing'
complete -c dbdump -n "__fish_dbdump_using_subcommand create" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c dbdump -n "__fish_dbdump_using_subcommand create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dbdump -n "__fish_dbdump_using_subcommand create" -s V -l version -d 'Print version'
complete -c dbdump -n "__fish_dbdump_using_subcommand ls" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand ls" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand ls" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand ls" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand ls" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand ls" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand ls" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c dbdump -n "__fish_dbdump_using_subcommand ls" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c dbdump -n "__fish_dbdump_using_subcommand ls" -l store -d 'Where dumps are kept: DIR or s3://bucket/prefix [default: `[dbdump] store`, else ~/.local/share/opskit/dumps]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand ls" -l all -d 'Also incomplete dumps (no manifest: interrupted or failed)'
complete -c dbdump -n "__fish_dbdump_using_subcommand ls" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c dbdump -n "__fish_dbdump_using_subcommand ls" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c dbdump -n "__fish_dbdump_using_subcommand ls" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c dbdump -n "__fish_dbdump_using_subcommand ls" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c dbdump -n "__fish_dbdump_using_subcommand ls" -l dry-run -d 'Say what would change, change nothing'
complete -c dbdump -n "__fish_dbdump_using_subcommand ls" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c dbdump -n "__fish_dbdump_using_subcommand ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dbdump -n "__fish_dbdump_using_subcommand ls" -s V -l version -d 'Print version'
complete -c dbdump -n "__fish_dbdump_using_subcommand restore" -l to -d 'The database to restore into (created if missing; no password in it)' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand restore" -l to-env -d 'The environment the target belongs to: a prod-tier one is refused' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand restore" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand restore" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand restore" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand restore" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand restore" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand restore" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand restore" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c dbdump -n "__fish_dbdump_using_subcommand restore" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c dbdump -n "__fish_dbdump_using_subcommand restore" -l store -d 'Where dumps are kept: DIR or s3://bucket/prefix [default: `[dbdump] store`, else ~/.local/share/opskit/dumps]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand restore" -l clean -d 'Drop and recreate a target that already has tables'
complete -c dbdump -n "__fish_dbdump_using_subcommand restore" -l no-portable -d 'Keep RDS-only owners, grants, extensions and definers'
complete -c dbdump -n "__fish_dbdump_using_subcommand restore" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c dbdump -n "__fish_dbdump_using_subcommand restore" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c dbdump -n "__fish_dbdump_using_subcommand restore" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c dbdump -n "__fish_dbdump_using_subcommand restore" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c dbdump -n "__fish_dbdump_using_subcommand restore" -l dry-run -d 'Say what would change, change nothing'
complete -c dbdump -n "__fish_dbdump_using_subcommand restore" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c dbdump -n "__fish_dbdump_using_subcommand restore" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dbdump -n "__fish_dbdump_using_subcommand restore" -s V -l version -d 'Print version'
complete -c dbdump -n "__fish_dbdump_using_subcommand cat" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand cat" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand cat" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand cat" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand cat" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand cat" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand cat" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c dbdump -n "__fish_dbdump_using_subcommand cat" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c dbdump -n "__fish_dbdump_using_subcommand cat" -l store -d 'Where dumps are kept: DIR or s3://bucket/prefix [default: `[dbdump] store`, else ~/.local/share/opskit/dumps]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand cat" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c dbdump -n "__fish_dbdump_using_subcommand cat" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c dbdump -n "__fish_dbdump_using_subcommand cat" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c dbdump -n "__fish_dbdump_using_subcommand cat" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c dbdump -n "__fish_dbdump_using_subcommand cat" -l dry-run -d 'Say what would change, change nothing'
complete -c dbdump -n "__fish_dbdump_using_subcommand cat" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c dbdump -n "__fish_dbdump_using_subcommand cat" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dbdump -n "__fish_dbdump_using_subcommand cat" -s V -l version -d 'Print version'
complete -c dbdump -n "__fish_dbdump_using_subcommand rm" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand rm" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand rm" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand rm" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand rm" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand rm" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand rm" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c dbdump -n "__fish_dbdump_using_subcommand rm" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c dbdump -n "__fish_dbdump_using_subcommand rm" -l store -d 'Where dumps are kept: DIR or s3://bucket/prefix [default: `[dbdump] store`, else ~/.local/share/opskit/dumps]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand rm" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c dbdump -n "__fish_dbdump_using_subcommand rm" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c dbdump -n "__fish_dbdump_using_subcommand rm" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c dbdump -n "__fish_dbdump_using_subcommand rm" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c dbdump -n "__fish_dbdump_using_subcommand rm" -l dry-run -d 'Say what would change, change nothing'
complete -c dbdump -n "__fish_dbdump_using_subcommand rm" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c dbdump -n "__fish_dbdump_using_subcommand rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dbdump -n "__fish_dbdump_using_subcommand rm" -s V -l version -d 'Print version'
complete -c dbdump -n "__fish_dbdump_using_subcommand prune" -l keep-last -d 'Keep this many of the newest complete dumps of each environment' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand prune" -l older-than -d 'Only delete dumps older than this (30d, 12h)' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand prune" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand prune" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand prune" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand prune" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand prune" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand prune" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand prune" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c dbdump -n "__fish_dbdump_using_subcommand prune" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c dbdump -n "__fish_dbdump_using_subcommand prune" -l store -d 'Where dumps are kept: DIR or s3://bucket/prefix [default: `[dbdump] store`, else ~/.local/share/opskit/dumps]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand prune" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c dbdump -n "__fish_dbdump_using_subcommand prune" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c dbdump -n "__fish_dbdump_using_subcommand prune" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c dbdump -n "__fish_dbdump_using_subcommand prune" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c dbdump -n "__fish_dbdump_using_subcommand prune" -l dry-run -d 'Say what would change, change nothing'
complete -c dbdump -n "__fish_dbdump_using_subcommand prune" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c dbdump -n "__fish_dbdump_using_subcommand prune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dbdump -n "__fish_dbdump_using_subcommand prune" -s V -l version -d 'Print version'
complete -c dbdump -n "__fish_dbdump_using_subcommand lint" -l url -d 'The database: postgres://, postgresql://, mysql:// or mariadb:// (no password in it: use PGPASSWORD, ~/.pgpass or MYSQL_PWD) [default: the -e environment\'s DATABASE_URL]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand lint" -l rds-instance -d 'An RDS instance: endpoint, port and engine from DescribeDBInstances' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand lint" -l database -d 'The database name (with --rds-instance, or to override the URL\'s)' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand lint" -l user -d 'The database user (with --rds-instance: default its master user)' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand lint" -l rules -d 'The rules file [default: `[dbdump] rules` in opskit.toml]' -r -F
complete -c dbdump -n "__fish_dbdump_using_subcommand lint" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand lint" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand lint" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand lint" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand lint" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand lint" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand lint" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c dbdump -n "__fish_dbdump_using_subcommand lint" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c dbdump -n "__fish_dbdump_using_subcommand lint" -l store -d 'Where dumps are kept: DIR or s3://bucket/prefix [default: `[dbdump] store`, else ~/.local/share/opskit/dumps]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand lint" -l iam-auth -d 'Sign in with an RDS IAM authentication token instead of a password'
complete -c dbdump -n "__fish_dbdump_using_subcommand lint" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c dbdump -n "__fish_dbdump_using_subcommand lint" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c dbdump -n "__fish_dbdump_using_subcommand lint" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c dbdump -n "__fish_dbdump_using_subcommand lint" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c dbdump -n "__fish_dbdump_using_subcommand lint" -l dry-run -d 'Say what would change, change nothing'
complete -c dbdump -n "__fish_dbdump_using_subcommand lint" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c dbdump -n "__fish_dbdump_using_subcommand lint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dbdump -n "__fish_dbdump_using_subcommand lint" -s V -l version -d 'Print version'
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and not __fish_seen_subcommand_from init" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and not __fish_seen_subcommand_from init" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and not __fish_seen_subcommand_from init" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and not __fish_seen_subcommand_from init" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and not __fish_seen_subcommand_from init" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and not __fish_seen_subcommand_from init" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and not __fish_seen_subcommand_from init" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and not __fish_seen_subcommand_from init" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and not __fish_seen_subcommand_from init" -l store -d 'Where dumps are kept: DIR or s3://bucket/prefix [default: `[dbdump] store`, else ~/.local/share/opskit/dumps]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and not __fish_seen_subcommand_from init" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and not __fish_seen_subcommand_from init" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and not __fish_seen_subcommand_from init" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and not __fish_seen_subcommand_from init" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and not __fish_seen_subcommand_from init" -l dry-run -d 'Say what would change, change nothing'
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and not __fish_seen_subcommand_from init" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and not __fish_seen_subcommand_from init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and not __fish_seen_subcommand_from init" -s V -l version -d 'Print version'
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and not __fish_seen_subcommand_from init" -f -a "init" -d 'Print a rules file for the live schema, with a suggested rule for every column lint flags'
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and __fish_seen_subcommand_from init" -l url -d 'The database: postgres://, postgresql://, mysql:// or mariadb:// (no password in it: use PGPASSWORD, ~/.pgpass or MYSQL_PWD) [default: the -e environment\'s DATABASE_URL]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and __fish_seen_subcommand_from init" -l rds-instance -d 'An RDS instance: endpoint, port and engine from DescribeDBInstances' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and __fish_seen_subcommand_from init" -l database -d 'The database name (with --rds-instance, or to override the URL\'s)' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and __fish_seen_subcommand_from init" -l user -d 'The database user (with --rds-instance: default its master user)' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and __fish_seen_subcommand_from init" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and __fish_seen_subcommand_from init" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and __fish_seen_subcommand_from init" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and __fish_seen_subcommand_from init" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and __fish_seen_subcommand_from init" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and __fish_seen_subcommand_from init" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and __fish_seen_subcommand_from init" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and __fish_seen_subcommand_from init" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and __fish_seen_subcommand_from init" -l store -d 'Where dumps are kept: DIR or s3://bucket/prefix [default: `[dbdump] store`, else ~/.local/share/opskit/dumps]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and __fish_seen_subcommand_from init" -l iam-auth -d 'Sign in with an RDS IAM authentication token instead of a password'
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and __fish_seen_subcommand_from init" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and __fish_seen_subcommand_from init" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and __fish_seen_subcommand_from init" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and __fish_seen_subcommand_from init" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and __fish_seen_subcommand_from init" -l dry-run -d 'Say what would change, change nothing'
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and __fish_seen_subcommand_from init" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dbdump -n "__fish_dbdump_using_subcommand rules; and __fish_seen_subcommand_from init" -s V -l version -d 'Print version'
complete -c dbdump -n "__fish_dbdump_using_subcommand compare" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand compare" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand compare" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand compare" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand compare" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand compare" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand compare" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c dbdump -n "__fish_dbdump_using_subcommand compare" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c dbdump -n "__fish_dbdump_using_subcommand compare" -l store -d 'Where dumps are kept: DIR or s3://bucket/prefix [default: `[dbdump] store`, else ~/.local/share/opskit/dumps]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand compare" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c dbdump -n "__fish_dbdump_using_subcommand compare" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c dbdump -n "__fish_dbdump_using_subcommand compare" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c dbdump -n "__fish_dbdump_using_subcommand compare" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c dbdump -n "__fish_dbdump_using_subcommand compare" -l dry-run -d 'Say what would change, change nothing'
complete -c dbdump -n "__fish_dbdump_using_subcommand compare" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c dbdump -n "__fish_dbdump_using_subcommand compare" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dbdump -n "__fish_dbdump_using_subcommand compare" -s V -l version -d 'Print version'
complete -c dbdump -n "__fish_dbdump_using_subcommand doctor" -l iam-policy -d 'Print the least IAM policy the named commands need (every command when none is named)' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand doctor" -l check-permissions -d 'Ask IAM\'s policy simulator whether you hold what the named commands need (every command when none is named): a finding per action, exit 1 when any is missing' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand doctor" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand doctor" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand doctor" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand doctor" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand doctor" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand doctor" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand doctor" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c dbdump -n "__fish_dbdump_using_subcommand doctor" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c dbdump -n "__fish_dbdump_using_subcommand doctor" -l store -d 'Where dumps are kept: DIR or s3://bucket/prefix [default: `[dbdump] store`, else ~/.local/share/opskit/dumps]' -r
complete -c dbdump -n "__fish_dbdump_using_subcommand doctor" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c dbdump -n "__fish_dbdump_using_subcommand doctor" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c dbdump -n "__fish_dbdump_using_subcommand doctor" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c dbdump -n "__fish_dbdump_using_subcommand doctor" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c dbdump -n "__fish_dbdump_using_subcommand doctor" -l dry-run -d 'Say what would change, change nothing'
complete -c dbdump -n "__fish_dbdump_using_subcommand doctor" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c dbdump -n "__fish_dbdump_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dbdump -n "__fish_dbdump_using_subcommand doctor" -s V -l version -d 'Print version'
