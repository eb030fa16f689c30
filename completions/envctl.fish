# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_envctl_global_optspecs
    string join \n app= e/env= profile= region= endpoint-url= role-arn= o/output= wide config= q/quiet v/verbose no-color dry-run y/yes chamber h/help V/version
end

function __fish_envctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_envctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_envctl_using_subcommand
    set -l cmd (__fish_envctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c envctl -n "__fish_envctl_needs_command" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c envctl -n "__fish_envctl_needs_command" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c envctl -n "__fish_envctl_needs_command" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c envctl -n "__fish_envctl_needs_command" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c envctl -n "__fish_envctl_needs_command" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c envctl -n "__fish_envctl_needs_command" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c envctl -n "__fish_envctl_needs_command" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c envctl -n "__fish_envctl_needs_command" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c envctl -n "__fish_envctl_needs_command" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c envctl -n "__fish_envctl_needs_command" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c envctl -n "__fish_envctl_needs_command" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c envctl -n "__fish_envctl_needs_command" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c envctl -n "__fish_envctl_needs_command" -l dry-run -d 'Say what would change, change nothing'
complete -c envctl -n "__fish_envctl_needs_command" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c envctl -n "__fish_envctl_needs_command" -l chamber -d 'Use chamber\'s layout, /<service>/<key>: the service stands in for ENV, and there is no app'
complete -c envctl -n "__fish_envctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c envctl -n "__fish_envctl_needs_command" -s V -l version -d 'Print version'
complete -c envctl -n "__fish_envctl_needs_command" -f -a "ls" -d 'List the app\'s environments: declared, temporary, and any holding parameters'
complete -c envctl -n "__fish_envctl_needs_command" -f -a "show" -d 'One environment: metadata and key names, no values'
complete -c envctl -n "__fish_envctl_needs_command" -f -a "get" -d 'Parameters of an environment (secure values only with --reveal)'
complete -c envctl -n "__fish_envctl_needs_command" -f -a "set" -d 'Set parameters, creating the environment if it is new. Values come from stdin, a prompt at a terminal, or files, never from the command line'
complete -c envctl -n "__fish_envctl_needs_command" -f -a "unset" -d 'Delete parameters'
complete -c envctl -n "__fish_envctl_needs_command" -f -a "history" -d 'Versions of a parameter: who changed it, and when'
complete -c envctl -n "__fish_envctl_needs_command" -f -a "rollback" -d 'Make an earlier version of a parameter current again (as a new version)'
complete -c envctl -n "__fish_envctl_needs_command" -f -a "diff" -d 'Compare two environments: keys only in one, and keys whose values differ (exit 1 when any)'
complete -c envctl -n "__fish_envctl_needs_command" -f -a "export" -d 'Print an environment\'s parameters as a dotenv, JSON, shell, tfvars, YAML or CSV file'
complete -c envctl -n "__fish_envctl_needs_command" -f -a "import" -d 'Apply a dotenv or JSON file to an environment (created if new): shows the changes, applies them when confirmed or with --yes'
complete -c envctl -n "__fish_envctl_needs_command" -f -a "exec" -d 'Run a command with an environment\'s parameters in its environment'
complete -c envctl -n "__fish_envctl_needs_command" -f -a "copy" -d 'Create a temporary environment as a copy of another'
complete -c envctl -n "__fish_envctl_needs_command" -f -a "rm" -d 'Delete environments: every parameter and their metadata (- reads env records from stdin)'
complete -c envctl -n "__fish_envctl_needs_command" -f -a "reap" -d 'Delete every temporary environment past its TTL, and say what was deleted'
complete -c envctl -n "__fish_envctl_needs_command" -f -a "promote" -d 'Copy chosen keys (default: every key that is new or different) from one environment to another'
complete -c envctl -n "__fish_envctl_needs_command" -f -a "doctor" -d 'Check credentials, region, endpoint, config file and environment (run this first when something is off)'
complete -c envctl -n "__fish_envctl_using_subcommand ls" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c envctl -n "__fish_envctl_using_subcommand ls" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c envctl -n "__fish_envctl_using_subcommand ls" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c envctl -n "__fish_envctl_using_subcommand ls" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c envctl -n "__fish_envctl_using_subcommand ls" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c envctl -n "__fish_envctl_using_subcommand ls" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c envctl -n "__fish_envctl_using_subcommand ls" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c envctl -n "__fish_envctl_using_subcommand ls" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c envctl -n "__fish_envctl_using_subcommand ls" -l expired -d 'Only temporary environments past their TTL'
complete -c envctl -n "__fish_envctl_using_subcommand ls" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c envctl -n "__fish_envctl_using_subcommand ls" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c envctl -n "__fish_envctl_using_subcommand ls" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c envctl -n "__fish_envctl_using_subcommand ls" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c envctl -n "__fish_envctl_using_subcommand ls" -l dry-run -d 'Say what would change, change nothing'
complete -c envctl -n "__fish_envctl_using_subcommand ls" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c envctl -n "__fish_envctl_using_subcommand ls" -l chamber -d 'Use chamber\'s layout, /<service>/<key>: the service stands in for ENV, and there is no app'
complete -c envctl -n "__fish_envctl_using_subcommand ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c envctl -n "__fish_envctl_using_subcommand ls" -s V -l version -d 'Print version'
complete -c envctl -n "__fish_envctl_using_subcommand show" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c envctl -n "__fish_envctl_using_subcommand show" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c envctl -n "__fish_envctl_using_subcommand show" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c envctl -n "__fish_envctl_using_subcommand show" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c envctl -n "__fish_envctl_using_subcommand show" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c envctl -n "__fish_envctl_using_subcommand show" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c envctl -n "__fish_envctl_using_subcommand show" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c envctl -n "__fish_envctl_using_subcommand show" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c envctl -n "__fish_envctl_using_subcommand show" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c envctl -n "__fish_envctl_using_subcommand show" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c envctl -n "__fish_envctl_using_subcommand show" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c envctl -n "__fish_envctl_using_subcommand show" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c envctl -n "__fish_envctl_using_subcommand show" -l dry-run -d 'Say what would change, change nothing'
complete -c envctl -n "__fish_envctl_using_subcommand show" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c envctl -n "__fish_envctl_using_subcommand show" -l chamber -d 'Use chamber\'s layout, /<service>/<key>: the service stands in for ENV, and there is no app'
complete -c envctl -n "__fish_envctl_using_subcommand show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c envctl -n "__fish_envctl_using_subcommand show" -s V -l version -d 'Print version'
complete -c envctl -n "__fish_envctl_using_subcommand get" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c envctl -n "__fish_envctl_using_subcommand get" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c envctl -n "__fish_envctl_using_subcommand get" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c envctl -n "__fish_envctl_using_subcommand get" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c envctl -n "__fish_envctl_using_subcommand get" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c envctl -n "__fish_envctl_using_subcommand get" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c envctl -n "__fish_envctl_using_subcommand get" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c envctl -n "__fish_envctl_using_subcommand get" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c envctl -n "__fish_envctl_using_subcommand get" -l reveal -d 'Show the values of secure parameters too (plain ones are always shown)'
complete -c envctl -n "__fish_envctl_using_subcommand get" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c envctl -n "__fish_envctl_using_subcommand get" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c envctl -n "__fish_envctl_using_subcommand get" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c envctl -n "__fish_envctl_using_subcommand get" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c envctl -n "__fish_envctl_using_subcommand get" -l dry-run -d 'Say what would change, change nothing'
complete -c envctl -n "__fish_envctl_using_subcommand get" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c envctl -n "__fish_envctl_using_subcommand get" -l chamber -d 'Use chamber\'s layout, /<service>/<key>: the service stands in for ENV, and there is no app'
complete -c envctl -n "__fish_envctl_using_subcommand get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c envctl -n "__fish_envctl_using_subcommand get" -s V -l version -d 'Print version'
complete -c envctl -n "__fish_envctl_using_subcommand set" -l from-file -d 'Read the value of the one bare KEY from this file' -r -F
complete -c envctl -n "__fish_envctl_using_subcommand set" -l type -d 'Stored encrypted (secure: SecureString) or not (plain: String) [default: an existing key keeps its type; new keys are secure]' -r -f -a "secure\t'SecureString, encrypted with KMS'
plain\t'String'"
complete -c envctl -n "__fish_envctl_using_subcommand set" -l if-version -d 'Refuse (exit 75) unless the key is still at version N (0: must not exist yet)' -r
complete -c envctl -n "__fish_envctl_using_subcommand set" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c envctl -n "__fish_envctl_using_subcommand set" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c envctl -n "__fish_envctl_using_subcommand set" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c envctl -n "__fish_envctl_using_subcommand set" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c envctl -n "__fish_envctl_using_subcommand set" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c envctl -n "__fish_envctl_using_subcommand set" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c envctl -n "__fish_envctl_using_subcommand set" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c envctl -n "__fish_envctl_using_subcommand set" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c envctl -n "__fish_envctl_using_subcommand set" -l create -d 'Create the environment even though its name is close to an existing one\'s'
complete -c envctl -n "__fish_envctl_using_subcommand set" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c envctl -n "__fish_envctl_using_subcommand set" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c envctl -n "__fish_envctl_using_subcommand set" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c envctl -n "__fish_envctl_using_subcommand set" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c envctl -n "__fish_envctl_using_subcommand set" -l dry-run -d 'Say what would change, change nothing'
complete -c envctl -n "__fish_envctl_using_subcommand set" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c envctl -n "__fish_envctl_using_subcommand set" -l chamber -d 'Use chamber\'s layout, /<service>/<key>: the service stands in for ENV, and there is no app'
complete -c envctl -n "__fish_envctl_using_subcommand set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c envctl -n "__fish_envctl_using_subcommand set" -s V -l version -d 'Print version'
complete -c envctl -n "__fish_envctl_using_subcommand unset" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c envctl -n "__fish_envctl_using_subcommand unset" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c envctl -n "__fish_envctl_using_subcommand unset" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c envctl -n "__fish_envctl_using_subcommand unset" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c envctl -n "__fish_envctl_using_subcommand unset" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c envctl -n "__fish_envctl_using_subcommand unset" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c envctl -n "__fish_envctl_using_subcommand unset" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c envctl -n "__fish_envctl_using_subcommand unset" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c envctl -n "__fish_envctl_using_subcommand unset" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c envctl -n "__fish_envctl_using_subcommand unset" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c envctl -n "__fish_envctl_using_subcommand unset" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c envctl -n "__fish_envctl_using_subcommand unset" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c envctl -n "__fish_envctl_using_subcommand unset" -l dry-run -d 'Say what would change, change nothing'
complete -c envctl -n "__fish_envctl_using_subcommand unset" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c envctl -n "__fish_envctl_using_subcommand unset" -l chamber -d 'Use chamber\'s layout, /<service>/<key>: the service stands in for ENV, and there is no app'
complete -c envctl -n "__fish_envctl_using_subcommand unset" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c envctl -n "__fish_envctl_using_subcommand unset" -s V -l version -d 'Print version'
complete -c envctl -n "__fish_envctl_using_subcommand history" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c envctl -n "__fish_envctl_using_subcommand history" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c envctl -n "__fish_envctl_using_subcommand history" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c envctl -n "__fish_envctl_using_subcommand history" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c envctl -n "__fish_envctl_using_subcommand history" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c envctl -n "__fish_envctl_using_subcommand history" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c envctl -n "__fish_envctl_using_subcommand history" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c envctl -n "__fish_envctl_using_subcommand history" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c envctl -n "__fish_envctl_using_subcommand history" -l reveal -d 'Show each version\'s value, secure ones too'
complete -c envctl -n "__fish_envctl_using_subcommand history" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c envctl -n "__fish_envctl_using_subcommand history" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c envctl -n "__fish_envctl_using_subcommand history" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c envctl -n "__fish_envctl_using_subcommand history" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c envctl -n "__fish_envctl_using_subcommand history" -l dry-run -d 'Say what would change, change nothing'
complete -c envctl -n "__fish_envctl_using_subcommand history" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c envctl -n "__fish_envctl_using_subcommand history" -l chamber -d 'Use chamber\'s layout, /<service>/<key>: the service stands in for ENV, and there is no app'
complete -c envctl -n "__fish_envctl_using_subcommand history" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c envctl -n "__fish_envctl_using_subcommand history" -s V -l version -d 'Print version'
complete -c envctl -n "__fish_envctl_using_subcommand rollback" -l to -d 'The version to bring back' -r
complete -c envctl -n "__fish_envctl_using_subcommand rollback" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c envctl -n "__fish_envctl_using_subcommand rollback" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c envctl -n "__fish_envctl_using_subcommand rollback" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c envctl -n "__fish_envctl_using_subcommand rollback" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c envctl -n "__fish_envctl_using_subcommand rollback" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c envctl -n "__fish_envctl_using_subcommand rollback" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c envctl -n "__fish_envctl_using_subcommand rollback" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c envctl -n "__fish_envctl_using_subcommand rollback" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c envctl -n "__fish_envctl_using_subcommand rollback" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c envctl -n "__fish_envctl_using_subcommand rollback" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c envctl -n "__fish_envctl_using_subcommand rollback" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c envctl -n "__fish_envctl_using_subcommand rollback" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c envctl -n "__fish_envctl_using_subcommand rollback" -l dry-run -d 'Say what would change, change nothing'
complete -c envctl -n "__fish_envctl_using_subcommand rollback" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c envctl -n "__fish_envctl_using_subcommand rollback" -l chamber -d 'Use chamber\'s layout, /<service>/<key>: the service stands in for ENV, and there is no app'
complete -c envctl -n "__fish_envctl_using_subcommand rollback" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c envctl -n "__fish_envctl_using_subcommand rollback" -s V -l version -d 'Print version'
complete -c envctl -n "__fish_envctl_using_subcommand diff" -l ignore -d 'Leave this key out of the comparison (repeatable)' -r
complete -c envctl -n "__fish_envctl_using_subcommand diff" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c envctl -n "__fish_envctl_using_subcommand diff" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c envctl -n "__fish_envctl_using_subcommand diff" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c envctl -n "__fish_envctl_using_subcommand diff" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c envctl -n "__fish_envctl_using_subcommand diff" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c envctl -n "__fish_envctl_using_subcommand diff" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c envctl -n "__fish_envctl_using_subcommand diff" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c envctl -n "__fish_envctl_using_subcommand diff" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c envctl -n "__fish_envctl_using_subcommand diff" -l keys-only -d 'Compare key names only, not values'
complete -c envctl -n "__fish_envctl_using_subcommand diff" -l reveal -d 'Show both values of each differing key'
complete -c envctl -n "__fish_envctl_using_subcommand diff" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c envctl -n "__fish_envctl_using_subcommand diff" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c envctl -n "__fish_envctl_using_subcommand diff" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c envctl -n "__fish_envctl_using_subcommand diff" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c envctl -n "__fish_envctl_using_subcommand diff" -l dry-run -d 'Say what would change, change nothing'
complete -c envctl -n "__fish_envctl_using_subcommand diff" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c envctl -n "__fish_envctl_using_subcommand diff" -l chamber -d 'Use chamber\'s layout, /<service>/<key>: the service stands in for ENV, and there is no app'
complete -c envctl -n "__fish_envctl_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c envctl -n "__fish_envctl_using_subcommand diff" -s V -l version -d 'Print version'
complete -c envctl -n "__fish_envctl_using_subcommand export" -l format -r -f -a "dotenv\t'KEY=\'value\' lines, quoted so that sh, python-dotenv and Node\'s dotenv read each value back exactly (--dialect picks one reader); keys as they are'
json\t'One JSON object, keys as they are'
shell\t'export KEY=\'value\' lines for `eval` or `source` (POSIX sh quoting)'
tfvars\t'Terraform variables: key = "value" (HCL escapes, ${ and %{ doubled)'
yaml\t'"key": "value" lines (YAML double-quoted scalars)'
csv\t'key,value with a header (RFC 4180 quoting)'"
complete -c envctl -n "__fish_envctl_using_subcommand export" -l dialect -d 'dotenv: quote for every reader (portable), or for one: sh, python (python-dotenv), node (dotenv)' -r -f -a "portable\t'sh, python-dotenv and Node\'s dotenv alike (a warning names any value that cannot be)'
sh\t'POSIX sh (`set -a; . ./.env`)'
python\t'python-dotenv'
node\t'Node\'s dotenv'"
complete -c envctl -n "__fish_envctl_using_subcommand export" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c envctl -n "__fish_envctl_using_subcommand export" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c envctl -n "__fish_envctl_using_subcommand export" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c envctl -n "__fish_envctl_using_subcommand export" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c envctl -n "__fish_envctl_using_subcommand export" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c envctl -n "__fish_envctl_using_subcommand export" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c envctl -n "__fish_envctl_using_subcommand export" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c envctl -n "__fish_envctl_using_subcommand export" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c envctl -n "__fish_envctl_using_subcommand export" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c envctl -n "__fish_envctl_using_subcommand export" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c envctl -n "__fish_envctl_using_subcommand export" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c envctl -n "__fish_envctl_using_subcommand export" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c envctl -n "__fish_envctl_using_subcommand export" -l dry-run -d 'Say what would change, change nothing'
complete -c envctl -n "__fish_envctl_using_subcommand export" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c envctl -n "__fish_envctl_using_subcommand export" -l chamber -d 'Use chamber\'s layout, /<service>/<key>: the service stands in for ENV, and there is no app'
complete -c envctl -n "__fish_envctl_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c envctl -n "__fish_envctl_using_subcommand export" -s V -l version -d 'Print version'
complete -c envctl -n "__fish_envctl_using_subcommand import" -l type -d 'Type of new keys [default: secure]' -r -f -a "secure\t'SecureString, encrypted with KMS'
plain\t'String'"
complete -c envctl -n "__fish_envctl_using_subcommand import" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c envctl -n "__fish_envctl_using_subcommand import" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c envctl -n "__fish_envctl_using_subcommand import" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c envctl -n "__fish_envctl_using_subcommand import" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c envctl -n "__fish_envctl_using_subcommand import" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c envctl -n "__fish_envctl_using_subcommand import" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c envctl -n "__fish_envctl_using_subcommand import" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c envctl -n "__fish_envctl_using_subcommand import" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c envctl -n "__fish_envctl_using_subcommand import" -l prune -d 'Also delete keys that the file does not have'
complete -c envctl -n "__fish_envctl_using_subcommand import" -l create -d 'Create the environment even though its name is close to an existing one\'s'
complete -c envctl -n "__fish_envctl_using_subcommand import" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c envctl -n "__fish_envctl_using_subcommand import" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c envctl -n "__fish_envctl_using_subcommand import" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c envctl -n "__fish_envctl_using_subcommand import" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c envctl -n "__fish_envctl_using_subcommand import" -l dry-run -d 'Say what would change, change nothing'
complete -c envctl -n "__fish_envctl_using_subcommand import" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c envctl -n "__fish_envctl_using_subcommand import" -l chamber -d 'Use chamber\'s layout, /<service>/<key>: the service stands in for ENV, and there is no app'
complete -c envctl -n "__fish_envctl_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c envctl -n "__fish_envctl_using_subcommand import" -s V -l version -d 'Print version'
complete -c envctl -n "__fish_envctl_using_subcommand exec" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c envctl -n "__fish_envctl_using_subcommand exec" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c envctl -n "__fish_envctl_using_subcommand exec" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c envctl -n "__fish_envctl_using_subcommand exec" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c envctl -n "__fish_envctl_using_subcommand exec" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c envctl -n "__fish_envctl_using_subcommand exec" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c envctl -n "__fish_envctl_using_subcommand exec" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c envctl -n "__fish_envctl_using_subcommand exec" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c envctl -n "__fish_envctl_using_subcommand exec" -l pristine -d 'Give the command only the parameters, none of envctl\'s own environment'
complete -c envctl -n "__fish_envctl_using_subcommand exec" -l override -d 'Let parameters replace variables that are already set (by default those win)'
complete -c envctl -n "__fish_envctl_using_subcommand exec" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c envctl -n "__fish_envctl_using_subcommand exec" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c envctl -n "__fish_envctl_using_subcommand exec" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c envctl -n "__fish_envctl_using_subcommand exec" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c envctl -n "__fish_envctl_using_subcommand exec" -l dry-run -d 'Say what would change, change nothing'
complete -c envctl -n "__fish_envctl_using_subcommand exec" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c envctl -n "__fish_envctl_using_subcommand exec" -l chamber -d 'Use chamber\'s layout, /<service>/<key>: the service stands in for ENV, and there is no app'
complete -c envctl -n "__fish_envctl_using_subcommand exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c envctl -n "__fish_envctl_using_subcommand exec" -s V -l version -d 'Print version'
complete -c envctl -n "__fish_envctl_using_subcommand copy" -l ttl -d 'Time to live, after which `envctl reap` deletes it (72h, 3d, 90m)' -r
complete -c envctl -n "__fish_envctl_using_subcommand copy" -l owner -d 'Who owns it [default: $USER]' -r
complete -c envctl -n "__fish_envctl_using_subcommand copy" -l tier -d 'Tier of the new environment' -r
complete -c envctl -n "__fish_envctl_using_subcommand copy" -l set -d 'Replace or add a key in the copy (repeatable)' -r
complete -c envctl -n "__fish_envctl_using_subcommand copy" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c envctl -n "__fish_envctl_using_subcommand copy" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c envctl -n "__fish_envctl_using_subcommand copy" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c envctl -n "__fish_envctl_using_subcommand copy" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c envctl -n "__fish_envctl_using_subcommand copy" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c envctl -n "__fish_envctl_using_subcommand copy" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c envctl -n "__fish_envctl_using_subcommand copy" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c envctl -n "__fish_envctl_using_subcommand copy" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c envctl -n "__fish_envctl_using_subcommand copy" -l force -d 'Replace the contents of an existing DST, or finish an interrupted copy'
complete -c envctl -n "__fish_envctl_using_subcommand copy" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c envctl -n "__fish_envctl_using_subcommand copy" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c envctl -n "__fish_envctl_using_subcommand copy" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c envctl -n "__fish_envctl_using_subcommand copy" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c envctl -n "__fish_envctl_using_subcommand copy" -l dry-run -d 'Say what would change, change nothing'
complete -c envctl -n "__fish_envctl_using_subcommand copy" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c envctl -n "__fish_envctl_using_subcommand copy" -l chamber -d 'Use chamber\'s layout, /<service>/<key>: the service stands in for ENV, and there is no app'
complete -c envctl -n "__fish_envctl_using_subcommand copy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c envctl -n "__fish_envctl_using_subcommand copy" -s V -l version -d 'Print version'
complete -c envctl -n "__fish_envctl_using_subcommand rm" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c envctl -n "__fish_envctl_using_subcommand rm" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c envctl -n "__fish_envctl_using_subcommand rm" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c envctl -n "__fish_envctl_using_subcommand rm" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c envctl -n "__fish_envctl_using_subcommand rm" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c envctl -n "__fish_envctl_using_subcommand rm" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c envctl -n "__fish_envctl_using_subcommand rm" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c envctl -n "__fish_envctl_using_subcommand rm" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c envctl -n "__fish_envctl_using_subcommand rm" -l force -d 'Allow deleting a prod-tier environment (with --yes)'
complete -c envctl -n "__fish_envctl_using_subcommand rm" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c envctl -n "__fish_envctl_using_subcommand rm" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c envctl -n "__fish_envctl_using_subcommand rm" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c envctl -n "__fish_envctl_using_subcommand rm" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c envctl -n "__fish_envctl_using_subcommand rm" -l dry-run -d 'Say what would change, change nothing'
complete -c envctl -n "__fish_envctl_using_subcommand rm" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c envctl -n "__fish_envctl_using_subcommand rm" -l chamber -d 'Use chamber\'s layout, /<service>/<key>: the service stands in for ENV, and there is no app'
complete -c envctl -n "__fish_envctl_using_subcommand rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c envctl -n "__fish_envctl_using_subcommand rm" -s V -l version -d 'Print version'
complete -c envctl -n "__fish_envctl_using_subcommand reap" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c envctl -n "__fish_envctl_using_subcommand reap" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c envctl -n "__fish_envctl_using_subcommand reap" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c envctl -n "__fish_envctl_using_subcommand reap" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c envctl -n "__fish_envctl_using_subcommand reap" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c envctl -n "__fish_envctl_using_subcommand reap" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c envctl -n "__fish_envctl_using_subcommand reap" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c envctl -n "__fish_envctl_using_subcommand reap" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c envctl -n "__fish_envctl_using_subcommand reap" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c envctl -n "__fish_envctl_using_subcommand reap" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c envctl -n "__fish_envctl_using_subcommand reap" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c envctl -n "__fish_envctl_using_subcommand reap" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c envctl -n "__fish_envctl_using_subcommand reap" -l dry-run -d 'Say what would change, change nothing'
complete -c envctl -n "__fish_envctl_using_subcommand reap" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c envctl -n "__fish_envctl_using_subcommand reap" -l chamber -d 'Use chamber\'s layout, /<service>/<key>: the service stands in for ENV, and there is no app'
complete -c envctl -n "__fish_envctl_using_subcommand reap" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c envctl -n "__fish_envctl_using_subcommand reap" -s V -l version -d 'Print version'
complete -c envctl -n "__fish_envctl_using_subcommand promote" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c envctl -n "__fish_envctl_using_subcommand promote" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c envctl -n "__fish_envctl_using_subcommand promote" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c envctl -n "__fish_envctl_using_subcommand promote" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c envctl -n "__fish_envctl_using_subcommand promote" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c envctl -n "__fish_envctl_using_subcommand promote" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c envctl -n "__fish_envctl_using_subcommand promote" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c envctl -n "__fish_envctl_using_subcommand promote" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c envctl -n "__fish_envctl_using_subcommand promote" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c envctl -n "__fish_envctl_using_subcommand promote" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c envctl -n "__fish_envctl_using_subcommand promote" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c envctl -n "__fish_envctl_using_subcommand promote" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c envctl -n "__fish_envctl_using_subcommand promote" -l dry-run -d 'Say what would change, change nothing'
complete -c envctl -n "__fish_envctl_using_subcommand promote" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c envctl -n "__fish_envctl_using_subcommand promote" -l chamber -d 'Use chamber\'s layout, /<service>/<key>: the service stands in for ENV, and there is no app'
complete -c envctl -n "__fish_envctl_using_subcommand promote" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c envctl -n "__fish_envctl_using_subcommand promote" -s V -l version -d 'Print version'
complete -c envctl -n "__fish_envctl_using_subcommand doctor" -l iam-policy -d 'Print the least IAM policy the named commands need (every command when none is named)' -r
complete -c envctl -n "__fish_envctl_using_subcommand doctor" -l check-permissions -d 'Ask IAM\'s policy simulator whether you hold what the named commands need (every command when none is named): a finding per action, exit 1 when any is missing' -r
complete -c envctl -n "__fish_envctl_using_subcommand doctor" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c envctl -n "__fish_envctl_using_subcommand doctor" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c envctl -n "__fish_envctl_using_subcommand doctor" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c envctl -n "__fish_envctl_using_subcommand doctor" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c envctl -n "__fish_envctl_using_subcommand doctor" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c envctl -n "__fish_envctl_using_subcommand doctor" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c envctl -n "__fish_envctl_using_subcommand doctor" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c envctl -n "__fish_envctl_using_subcommand doctor" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c envctl -n "__fish_envctl_using_subcommand doctor" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c envctl -n "__fish_envctl_using_subcommand doctor" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c envctl -n "__fish_envctl_using_subcommand doctor" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c envctl -n "__fish_envctl_using_subcommand doctor" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c envctl -n "__fish_envctl_using_subcommand doctor" -l dry-run -d 'Say what would change, change nothing'
complete -c envctl -n "__fish_envctl_using_subcommand doctor" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c envctl -n "__fish_envctl_using_subcommand doctor" -l chamber -d 'Use chamber\'s layout, /<service>/<key>: the service stands in for ENV, and there is no app'
complete -c envctl -n "__fish_envctl_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c envctl -n "__fish_envctl_using_subcommand doctor" -s V -l version -d 'Print version'
