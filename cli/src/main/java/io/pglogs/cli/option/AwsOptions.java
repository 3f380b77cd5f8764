package io.pglogs.cli.option;

import io.pglogs.cli.BadSettingException;
import io.pglogs.cli.CliContext;
import io.pglogs.cli.aws.AwsClients;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Setting;
import io.pglogs.cli.config.Settings;
import io.pglogs.cli.local.LocalState;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Where and as whom a command calls AWS: the global --profile, --region, --endpoint-url and --local, each falling
 * back to the usual AWS variables, then the config file.
 */
@Command // a mixin without options of its own: picocli needs the annotation to take it
public final class AwsOptions {
    private final CliContext ctx;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    public AwsOptions(CliContext ctx) {
        this.ctx = ctx;
    }

    private GlobalOptions global() {
        return GlobalOptions.of(command);
    }

    public Settings.Value region(Environment env) {
        if (global().local) {
            return new Settings.Value(Setting.REGION.key(env), LocalState.REGION, "--local");
        }
        return ctx.settings().get(Setting.REGION, env, "--region", global().region);
    }

    public Settings.Value profile(Environment env) {
        if (global().local) {
            return new Settings.Value(Setting.PROFILE.key(env), null, "--local");
        }
        return ctx.settings().get(Setting.PROFILE, env, "--profile", global().profile);
    }

    public Settings.Value endpointUrl(Environment env) {
        if (global().local) {
            return new Settings.Value(Setting.ENDPOINT_URL.key(env), LocalState.running(ctx).endpoint(), "--local");
        }
        return ctx.settings().get(Setting.ENDPOINT_URL, env, "--endpoint-url", global().endpointUrl);
    }

    /** Credentials a child process (terraform) needs beyond what the environment has: the emulator's, with --local. */
    public Map<String, String> credentialEnvironment() {
        return global().local ? LocalState.CREDENTIALS : Map.of();
    }

    /**
     * The clients for an environment, once its credentials are known to act on {@code <env>.account_id} when that is
     * set: every command that touches AWS gets its clients here, so none acts on another account.
     */
    public AwsClients clients(Environment env) {
        Settings.Value account = accountId(env);
        Map<String, String> environment = new HashMap<>(ctx.env());
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
