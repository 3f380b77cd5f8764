package io.pglogs.cli.option;

import io.pglogs.cli.CliContext;
import io.pglogs.cli.aws.AwsClients;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Setting;
import io.pglogs.cli.config.Settings;
import picocli.CommandLine.Option;

/** Where and as whom to call AWS. Each falls back to the usual AWS variables, then the config file. */
public final class AwsOptions {
    private final CliContext ctx;

    public AwsOptions(CliContext ctx) {
        this.ctx = ctx;
    }

    @Option(names = "--profile", paramLabel = "NAME", description = "AWS profile (else AWS_PROFILE, the config file).")
    String profile;

    @Option(names = "--region", paramLabel = "REGION", description = "AWS region (else AWS_REGION, the config file, "
            + "the profile).")
    String region;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "Send every AWS call to this endpoint, e.g. "
            + "a local emulator (else AWS_ENDPOINT_URL, the config file).")
    String endpointUrl;

    public Settings.Value region(Environment env) {
        return ctx.settings().get(Setting.REGION, env, "--region", region);
    }

    public Settings.Value profile(Environment env) {
        return ctx.settings().get(Setting.PROFILE, env, "--profile", profile);
    }

    public Settings.Value endpointUrl(Environment env) {
        return ctx.settings().get(Setting.ENDPOINT_URL, env, "--endpoint-url", endpointUrl);
    }

    public AwsClients clients(Environment env) {
        return AwsClients.create(region(env), profile(env), endpointUrl(env), ctx.env());
    }
}
