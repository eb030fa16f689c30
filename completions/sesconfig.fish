# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_sesconfig_global_optspecs
    string join \n app= e/env= profile= region= endpoint-url= role-arn= o/output= wide config= q/quiet v/verbose no-color dry-run y/yes h/help V/version
end

function __fish_sesconfig_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_sesconfig_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_sesconfig_using_subcommand
    set -l cmd (__fish_sesconfig_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c sesconfig -n "__fish_sesconfig_needs_command" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c sesconfig -n "__fish_sesconfig_needs_command" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c sesconfig -n "__fish_sesconfig_needs_command" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c sesconfig -n "__fish_sesconfig_needs_command" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c sesconfig -n "__fish_sesconfig_needs_command" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c sesconfig -n "__fish_sesconfig_needs_command" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c sesconfig -n "__fish_sesconfig_needs_command" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c sesconfig -n "__fish_sesconfig_needs_command" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c sesconfig -n "__fish_sesconfig_needs_command" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c sesconfig -n "__fish_sesconfig_needs_command" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c sesconfig -n "__fish_sesconfig_needs_command" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c sesconfig -n "__fish_sesconfig_needs_command" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c sesconfig -n "__fish_sesconfig_needs_command" -l dry-run -d 'Say what would change, change nothing'
complete -c sesconfig -n "__fish_sesconfig_needs_command" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c sesconfig -n "__fish_sesconfig_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sesconfig -n "__fish_sesconfig_needs_command" -s V -l version -d 'Print version'
complete -c sesconfig -n "__fish_sesconfig_needs_command" -f -a "setup" -d 'Create or update the domain\'s SES sending: identity with Easy DKIM, MAIL FROM, a configuration set with a bounce/complaint destination as the identity\'s default, and account-level suppression; then print the DNS records to create'
complete -c sesconfig -n "__fish_sesconfig_needs_command" -f -a "dns" -d 'Every DNS record the domain needs: DKIM CNAMEs, MAIL FROM MX and SPF, DMARC'
complete -c sesconfig -n "__fish_sesconfig_needs_command" -f -a "check" -d 'Check the domain\'s DNS records and SES setup: one finding per check, exit 1 when any fails. With -, the expected records come from stdin and only DNS is checked (no AWS call)'
complete -c sesconfig -n "__fish_sesconfig_needs_command" -f -a "status" -d 'The account: production access or sandbox, quota and rate, sent in the last 24 h, enforcement status, suppression'
complete -c sesconfig -n "__fish_sesconfig_needs_command" -f -a "request-production" -d 'Draft the request for production access (out of the sandbox); --yes submits it'
complete -c sesconfig -n "__fish_sesconfig_needs_command" -f -a "send-test" -d 'Send one test message through the configuration set; prints its message id'
complete -c sesconfig -n "__fish_sesconfig_needs_command" -f -a "teardown" -d 'Remove what setup created: the identity, and the configuration set when named (asks first)'
complete -c sesconfig -n "__fish_sesconfig_needs_command" -f -a "doctor" -d 'Check credentials, region, endpoint, config file and environment (run this first when something is off)'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand setup" -l mail-from -d 'MAIL FROM subdomain [default: `mail_from` in [sesconfig], else mail.DOMAIN]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand setup" -l dmarc-policy -d 'DMARC policy to publish; an existing stricter one is kept [default: `dmarc_policy` in [sesconfig], else none]' -r -f -a "none\t''
quarantine\t''
reject\t''"
complete -c sesconfig -n "__fish_sesconfig_using_subcommand setup" -l dmarc-rua -d 'Where aggregate DMARC reports go (mailto:…, comma separated) [default: `dmarc_rua`]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand setup" -l config-set -d 'Configuration set to create and make the identity\'s default [default: `configuration_set` in [sesconfig]]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand setup" -l events -d 'Where bounce and complaint events go: sns:ARN, eventbridge or cloudwatch [default: `events` in [sesconfig], else eventbridge]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand setup" -l mail-from-mx-failure -d 'What SES does when the MAIL FROM MX record is missing [default: `mail_from_mx_failure` in [sesconfig], else use-default-value]' -r -f -a "use-default-value\t'Send with amazonses.com as the MAIL FROM (mail still flows; SPF no longer aligns)'
reject-message\t'Refuse to send until the MX record is back'"
complete -c sesconfig -n "__fish_sesconfig_using_subcommand setup" -l resolver -d 'The DNS server to ask [default: the system\'s resolver]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand setup" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand setup" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand setup" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand setup" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand setup" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand setup" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand setup" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c sesconfig -n "__fish_sesconfig_using_subcommand setup" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c sesconfig -n "__fish_sesconfig_using_subcommand setup" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand setup" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand setup" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand setup" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand setup" -l dry-run -d 'Say what would change, change nothing'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand setup" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand setup" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand setup" -s V -l version -d 'Print version'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand dns" -l mail-from -d 'MAIL FROM subdomain [default: `mail_from` in [sesconfig], else mail.DOMAIN]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand dns" -l format -d 'Print a zone-file snippet or Terraform instead of records (-o)' -r -f -a "bind\t'A zone-file snippet (BIND master file syntax)'
terraform\t'A Terraform `locals` list for any DNS provider\'s record resource'"
complete -c sesconfig -n "__fish_sesconfig_using_subcommand dns" -l dmarc-policy -d 'DMARC policy to publish; an existing stricter one is kept [default: `dmarc_policy` in [sesconfig], else none]' -r -f -a "none\t''
quarantine\t''
reject\t''"
complete -c sesconfig -n "__fish_sesconfig_using_subcommand dns" -l dmarc-rua -d 'Where aggregate DMARC reports go (mailto:…, comma separated) [default: `dmarc_rua`]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand dns" -l resolver -d 'The DNS server to ask [default: the system\'s resolver]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand dns" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand dns" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand dns" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand dns" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand dns" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand dns" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand dns" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c sesconfig -n "__fish_sesconfig_using_subcommand dns" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c sesconfig -n "__fish_sesconfig_using_subcommand dns" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand dns" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand dns" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand dns" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand dns" -l dry-run -d 'Say what would change, change nothing'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand dns" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand dns" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand dns" -s V -l version -d 'Print version'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand check" -l mail-from -d 'MAIL FROM subdomain [default: `mail_from` in [sesconfig], else mail.DOMAIN]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand check" -l resolver -d 'The DNS server to ask [default: the system\'s resolver]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand check" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand check" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand check" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand check" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand check" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand check" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand check" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c sesconfig -n "__fish_sesconfig_using_subcommand check" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c sesconfig -n "__fish_sesconfig_using_subcommand check" -l authoritative -d 'Ask the zone\'s own name servers (found through the resolver), bypassing caches; say when the zone is not delegated'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand check" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand check" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand check" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand check" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand check" -l dry-run -d 'Say what would change, change nothing'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand check" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand check" -s V -l version -d 'Print version'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand status" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand status" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand status" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand status" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand status" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand status" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand status" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c sesconfig -n "__fish_sesconfig_using_subcommand status" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c sesconfig -n "__fish_sesconfig_using_subcommand status" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand status" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand status" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand status" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand status" -l dry-run -d 'Say what would change, change nothing'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand status" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand status" -s V -l version -d 'Print version'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand request-production" -l website -d 'The website of what sends the mail' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand request-production" -l use-case -d 'What you send, to whom, and how you handle bounces and complaints' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand request-production" -l contact -d 'Another address AWS writes to about the request (repeatable)' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand request-production" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand request-production" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand request-production" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand request-production" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand request-production" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand request-production" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand request-production" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c sesconfig -n "__fish_sesconfig_using_subcommand request-production" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c sesconfig -n "__fish_sesconfig_using_subcommand request-production" -l marketing -d 'Marketing mail (default: transactional)'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand request-production" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand request-production" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand request-production" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand request-production" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand request-production" -l dry-run -d 'Say what would change, change nothing'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand request-production" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand request-production" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand request-production" -s V -l version -d 'Print version'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand send-test" -l from -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand send-test" -l to -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand send-test" -l config-set -d '[default: `configuration_set` in [sesconfig]]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand send-test" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand send-test" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand send-test" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand send-test" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand send-test" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand send-test" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand send-test" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c sesconfig -n "__fish_sesconfig_using_subcommand send-test" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c sesconfig -n "__fish_sesconfig_using_subcommand send-test" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand send-test" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand send-test" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand send-test" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand send-test" -l dry-run -d 'Say what would change, change nothing'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand send-test" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand send-test" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand send-test" -s V -l version -d 'Print version'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand teardown" -l config-set -d 'Also delete this configuration set [default: `configuration_set` in [sesconfig]]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand teardown" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand teardown" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand teardown" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand teardown" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand teardown" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand teardown" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand teardown" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c sesconfig -n "__fish_sesconfig_using_subcommand teardown" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c sesconfig -n "__fish_sesconfig_using_subcommand teardown" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand teardown" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand teardown" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand teardown" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand teardown" -l dry-run -d 'Say what would change, change nothing'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand teardown" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand teardown" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand teardown" -s V -l version -d 'Print version'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand doctor" -l iam-policy -d 'Print the least IAM policy the named commands need (every command when none is named)' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand doctor" -l check-permissions -d 'Ask IAM\'s policy simulator whether you hold what the named commands need (every command when none is named): a finding per action, exit 1 when any is missing' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand doctor" -l app -d 'Application name [default: `app` in opskit.toml]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand doctor" -s e -l env -d 'Environment (dev, staging, prod, demo-42, …); fills a command\'s ENV argument when omitted' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand doctor" -l profile -d 'AWS profile [default: the environment\'s in opskit.toml, then AWS_PROFILE]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand doctor" -l region -d 'AWS region [default: the environment\'s in opskit.toml, then AWS_REGION, then the profile\'s]' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand doctor" -l endpoint-url -d 'Send AWS calls to this endpoint (local emulator, VPC endpoint); the SDK also reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand doctor" -l role-arn -d 'Assume this IAM role for every AWS call' -r
complete -c sesconfig -n "__fish_sesconfig_using_subcommand doctor" -s o -l output -d 'Output format [default: table on a terminal, ndjson otherwise]' -r -f -a "table\t'Aligned columns for people (the default on a terminal)'
json\t'One JSON array'
ndjson\t'One JSON object a line (the default when stdout is not a terminal)'
csv\t'Comma-separated, nested fields flattened to dotted names'
tsv\t'Tab-separated, nested fields flattened to dotted names'"
complete -c sesconfig -n "__fish_sesconfig_using_subcommand doctor" -l config -d 'Config file [default: opskit.toml from here upwards, then ~/.config/opskit/config.toml]' -r -F
complete -c sesconfig -n "__fish_sesconfig_using_subcommand doctor" -l wide -d 'Tables: show whole values instead of cutting them to the terminal\'s width'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand doctor" -s q -l quiet -d 'Less on stderr (-q: errors only)'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand doctor" -s v -l verbose -d 'More on stderr (-v, -vv, -vvv); RUST_LOG overrides'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand doctor" -l no-color -d 'No colour (also when NO_COLOR is set or stdout is not a terminal)'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand doctor" -l dry-run -d 'Say what would change, change nothing'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand doctor" -s y -l yes -d 'Confirm destructive actions (required when there is no terminal to ask)'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sesconfig -n "__fish_sesconfig_using_subcommand doctor" -s V -l version -d 'Print version'
