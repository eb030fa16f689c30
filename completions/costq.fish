# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_costq_global_optspecs
    string join \n app= e/env= profile= region= endpoint-url= role-arn= o/output= wide config= q/quiet v/verbose no-color dry-run y/yes h/help V/version
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
complete -c costq -n "__fish_costq_needs_command" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c costq -n "__fish_costq_needs_command" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c costq -n "__fish_costq_needs_command" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c costq -n "__fish_costq_needs_command" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c costq -n "__fish_costq_needs_command" -l dry-run -d 'Say what would change, change nothing'
complete -c costq -n "__fish_costq_needs_command" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c costq -n "__fish_costq_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c costq -n "__fish_costq_needs_command" -s V -l version -d 'Print version'
complete -c costq -n "__fish_costq_needs_command" -f -a "doctor" -d 'Check credentials, region, endpoint, config file and environment (run this first when something is off)'
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
