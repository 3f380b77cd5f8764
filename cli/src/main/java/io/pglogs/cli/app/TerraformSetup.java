package io.pglogs.cli.app;

import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Setting;
import io.pglogs.cli.config.Settings;
import io.pglogs.cli.config.SummariesSetting;
import io.pglogs.cli.rds.CollectedDatabases;
import io.pglogs.cli.error.PreconditionException;
import io.pglogs.cli.terraform.LocalStates;
import io.pglogs.cli.terraform.StateBackend;
import io.pglogs.cli.terraform.TerraformBinary;
import io.pglogs.cli.terraform.TerraformRunner;
import io.pglogs.cli.terraform.TerraformSteps;
import io.pglogs.cli.term.Prompt;
import io.pglogs.forwarder.dynamo.StorageFormat;
import io.pglogs.forwarder.parse.Redaction;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.regions.Region;

/**
 * How a session runs Terraform: which binary, where the roots are, where their state is, the child's environment
 * (the same AWS settings pglogs resolved), and the variables of each root.
 */
final class TerraformSetup {
    /** Credentials the environment can hold that Terraform's provider prefers to AWS_PROFILE. */
    private static final List<String> CREDENTIALS_BEFORE_THE_PROFILE = List.of("AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ROLE_ARN",
            "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_SESSION_NAME", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN");

    private final Session session;
    private final TerraformFlags flags;
    private final Console console;

    TerraformSetup(Session session, TerraformFlags flags, Console console) {
        this.session = session;
        this.flags = flags;
        this.console = console;
    }

    Environment env() {
        return session.env();
    }

    Path directory() {
        return Path.of(session.settings().get(Setting.TERRAFORM_DIR, env(), "--terraform-dir", flags.directory())
                .value());
    }

    /** Where the environment's state is; fails with exit 2 on unusable state settings, before anything runs. */
    StateBackend state() {
        StateBackend state = StateBackend.resolve(session.settings(), env(), session.region(), session.endpointUrl(),
                session.profile());
        return state.lookingWith(key -> session.aws().objectExists(Region.of(state.region()), state.bucket(), key))
                .withLocalStates(this::localStates);
    }

    /**
     * Where the environment's local states are: under the state directory, per account (the one the credentials act
     * on, checked against {@code <env>.account_id} when set) and region.
     */
    private LocalStates localStates() {
        String account = session.account();
        Settings.Value region = session.region();
        if (!region.isSet()) {
            throw new PreconditionException("no AWS region: pass --region, or set AWS_REGION or " + region.key());
        }
        return new LocalStates(Path.of(session.setting(Setting.STATE_DIR).value()), account, region.value(), env());
    }

    /**
     * The steps of a start or stop. Prod with a local state gets a warning every time: another machine deploying
     * prod would not see it.
     *
     * @param yes      --yes was given: a state is then copied to where the settings now put it without asking
     * @param review   checks each plan before it is applied
     */
    TerraformSteps steps(boolean yes, TerraformSteps.Review review) {
        StateBackend state = state();
        Environment env = env();
        if (env.isProd() && !state.shared()) {
            warn("pglogs: warning: prod's Terraform state is local to this machine (" + Path.of(session.setting(
                    Setting.STATE_DIR).value()) + "): a start or stop from another machine will not see it. Set "
                    + Setting.STATE_BUCKET.key(env) + " (see 'pglogs state show prod').");
        } else if (env.isProd() && !state.locked()) {
            warn("pglogs: warning: prod's shared state has no lock table (" + Setting.STATE_LOCK_TABLE.key(env)
                    + "): two runs at once can overwrite each other's state.");
        }
        TerraformSteps.Approval moveState = yes ? what -> true : TerraformSteps.typedYes(prompt(),
                "moving the Terraform state needs a confirmation: run at a terminal, or pass --yes (or --reconfigure)");
        return new TerraformSteps(runner(), console.style(), console.out(), state, flags.reconfigure(), moveState,
                review);
    }

    Prompt prompt() {
        return new Prompt(console.terminal(), console.out());
    }

    private void warn(String message) {
        console.err().println(console.style().warn(message));
        console.err().flush();
    }

    private TerraformRunner runner() {
        Settings.Value binary = session.settings().get(Setting.TERRAFORM_BINARY, env(), "--terraform",
                flags.binary());
        Path path = TerraformBinary.find(binary, session.host().env("PATH"));
        Map<String, String> childEnv = new HashMap<>(session.host().variables());
        // The child sees the same AWS settings pglogs resolved, whichever way they were given.
        if (session.profile().isSet()) {
            // Keys, a web identity or a container's credentials in the environment win over AWS_PROFILE in
            // Terraform's provider: with them the child could act on another account than pglogs' own calls, which
            // use the profile.
            CREDENTIALS_BEFORE_THE_PROFILE.forEach(childEnv::remove);
        }
        putIfSet(childEnv, "AWS_PROFILE", session.profile());
        putIfSet(childEnv, "AWS_REGION", session.region());
        putIfSet(childEnv, "AWS_ENDPOINT_URL", session.endpointUrl());
        childEnv.putAll(session.credentialEnvironment());
        return new TerraformRunner(path, console.style().on(), console.out(), console.err(), childEnv)
                .quiet(console.quiet());
    }

    TerraformVariables.PersistentData persistentData(StorageFormat storage, Redaction redaction,
                                                     SummariesSetting.Choice summaries) {
        return new TerraformVariables.PersistentData(value(session.region()), session.tableName(), allowedAccounts(),
                storage, redaction, summaries);
    }

    TerraformVariables.Collectors collectors(Path lambdaJar, CollectedDatabases databases) {
        return collectors(lambdaJar, databases, session.tableName());
    }

    /** @param table the table the collectors' root looks up (it must exist) */
    TerraformVariables.Collectors collectors(Path lambdaJar, CollectedDatabases databases, String table) {
        return new TerraformVariables.Collectors(value(session.region()), allowedAccounts(), table,
                session.functionName(), lambdaJar.toAbsolutePath().toString(), databases.instances(),
                databases.clusters(), session.setting(Setting.LOG_TIMEZONE).value());
    }

    /** The provider refuses any other account than {@code <env>.account_id}, when it is set. */
    private List<String> allowedAccounts() {
        Settings.Value account = session.accountId();
        return account.isSet() ? List.of(account.value()) : null;
    }

    private static String value(Settings.Value v) {
        return v.isSet() ? v.value() : null;
    }

    private static void putIfSet(Map<String, String> env, String name, Settings.Value v) {
        if (v.isSet()) {
            env.put(name, v.value());
        }
    }
}
