package io.pglogs.cli.option;

import io.pglogs.cli.BadSettingException;
import io.pglogs.cli.CliContext;
import io.pglogs.cli.aws.AwsClients;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Setting;
import io.pglogs.cli.config.Settings;
import io.pglogs.cli.local.LocalState;
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

    @Option(names = "--local", description = "Use the local pipeline started by 'pglogs local up' (its emulator "
            + "endpoint, region and credentials).")
    boolean local;

    public Settings.Value region(Environment env) {
        if (local) {
            return new Settings.Value(Setting.REGION.key(env), LocalState.REGION, "--local");
        }
        return ctx.settings().get(Setting.REGION, env, "--region", region);
    }

    public Settings.Value profile(Environment env) {
        if (local) {
            return new Settings.Value(Setting.PROFILE.key(env), null, "--local");
        }
        return ctx.settings().get(Setting.PROFILE, env, "--profile", profile);
    }

    public Settings.Value endpointUrl(Environment env) {
        if (local) {
            return new Settings.Value(Setting.ENDPOINT_URL.key(env), LocalState.running(ctx).endpoint(), "--local");
        }
        return ctx.settings().get(Setting.ENDPOINT_URL, env, "--endpoint-url", endpointUrl);
    }

    /** Credentials a child process (terraform) needs beyond what the environment has: the emulator's, with --local. */
    public java.util.Map<String, String> credentialEnvironment() {
        return local ? LocalState.CREDENTIALS : java.util.Map.of();
    }

    /**
     * The clients for an environment, once its credentials are known to act on {@code <env>.account_id} when that is
     * set: every command that touches AWS gets its clients here, so none acts on another account.
     */
    public AwsClients clients(Environment env) {
        Settings.Value account = accountId(env);
        java.util.Map<String, String> environment = new java.util.HashMap<>(ctx.env());
        environment.putAll(credentialEnvironment());
        AwsClients clients = AwsClients.create(region(env), profile(env), endpointUrl(env), environment);
        if (account.isSet()) {
            try {
                clients.requireAccount(account);
            } catch (RuntimeException e) {
                clients.close();
                throw e;
            }
        }
        return clients;
    }

    /** {@code <env>.account_id}, checked to be an account id (exit 2 otherwise). */
    public Settings.Value accountId(Environment env) {
        Settings.Value account = ctx.settings().get(Setting.ACCOUNT_ID, env);
        if (account.isSet() && !account.value().matches("\\d{12}")) {
            throw new BadSettingException(account.key() + " '" + account.value() + "' (" + account.source()
                    + ") is not an AWS account id (12 digits)");
        }
        return account;
    }
}
