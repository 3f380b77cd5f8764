package io.pglogs.cli.option;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options of every command, accepted before or after the command's name as in awscli: picocli's inherited scope
 * copies them onto every subcommand, and every copy writes to this one instance on the top command, so where an
 * option was typed changes nothing (given twice, the later wins). Commands read it through {@link AwsOptions},
 * {@link OutputOptions} and the context. Plain fields (whose order reflection keeps), so generated completions and
 * man pages come out the same in every JVM.
 */
public final class GlobalOptions {
    public static final String MIXIN_NAME = "global";

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT,
            description = "Show this help and exit.")
    boolean help;

    @Option(names = "--profile", paramLabel = "NAME", scope = ScopeType.INHERIT,
            description = "AWS profile (else AWS_PROFILE, the config file).")
    String profile;

    @Option(names = "--region", paramLabel = "REGION", scope = ScopeType.INHERIT, converter = Values.Region.class,
            description = "AWS region (else AWS_REGION, the config file, the profile).")
    String region;

    @Option(names = "--endpoint-url", paramLabel = "URL", scope = ScopeType.INHERIT, converter = Values.Url.class,
            description = "Send every AWS call to this endpoint, e.g. a local emulator (else AWS_ENDPOINT_URL, the "
                    + "config file).")
    String endpointUrl;

    @Option(names = "--local", scope = ScopeType.INHERIT, description = "Use the local pipeline started by 'pglogs "
            + "local up' (its emulator endpoint, region and credentials).")
    boolean local;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", scope = ScopeType.INHERIT, defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); query writes "
                    + "text, json, ndjson or csv, tail text or ndjson, report text, json or html, the others text or "
                    + "json.")
    OutputOptions.Format output;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Show more detail, and a stack trace with errors.")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT, description = "Print only results and errors.")
    boolean quiet;

    @Option(names = "--no-color", scope = ScopeType.INHERIT,
            description = "No colour in the output (also when NO_COLOR is set).")
    boolean noColor;

    public boolean verbose() {
        return verbose;
    }

    public boolean quiet() {
        return quiet;
    }

    public boolean noColor() {
        return noColor;
    }

    /** The one instance, held by the top command, whichever command's spec asks. */
    public static GlobalOptions of(picocli.CommandLine.Model.CommandSpec anyCommand) {
        return (GlobalOptions) anyCommand.root().mixins().get(MIXIN_NAME).userObject();
    }
}
