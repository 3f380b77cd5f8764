package io.pglogs.cli.command;

import io.pglogs.cli.BadSettingException;
import io.pglogs.cli.CliContext;
import io.pglogs.cli.PreconditionException;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Setting;
import io.pglogs.cli.config.Settings;
import io.pglogs.cli.aws.AwsClients;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.rds.CollectedDatabases;
import io.pglogs.cli.terraform.TerraformBinary;
import io.pglogs.cli.terraform.StateBackend;
import io.pglogs.cli.terraform.TerraformRunner;
import io.pglogs.cli.terraform.TerraformSteps;
import io.pglogs.cli.term.Prompt;
import io.pglogs.cli.term.Style;
import io.pglogs.cli.query.TableLayout;
import io.pglogs.forwarder.dynamo.StorageFormat;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;
import picocli.CommandLine.Option;

/** What start and stop share: where the Terraform is, which binary runs it, and the variables for each root. */
public final class DeploymentOptions {
    /** Credentials the environment can hold that Terraform's provider prefers to AWS_PROFILE. */
    private static final List<String> CREDENTIALS_BEFORE_THE_PROFILE = List.of("AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ROLE_ARN",
            "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_SESSION_NAME", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN");

    private final CliContext ctx;

    public DeploymentOptions(CliContext ctx) {
        this.ctx = ctx;
    }

    @Option(names = "--terraform", paramLabel = "PATH", description = "terraform or tofu binary (else "
            + "PGLOGS_TERRAFORM, the config file, tofu or terraform on PATH).")
    String terraform;

    @Option(names = "--terraform-dir", paramLabel = "DIR", description = "Directory holding persistent_data/ and "
            + "collectors/ (else PGLOGS_TERRAFORM_DIR, the config file, the terraform/ of this installation).")
    String terraformDir;

    @Option(names = {"--dry-run", "--plan"}, description = "Show the plans only; change nothing.")
    boolean planOnly;

    @Option(names = "--reconfigure", description = "When the state settings changed, use the new state as it is "
            + "instead of copying this working copy's state there.")
    boolean reconfigure;

    /** Where the environment's state is; fails with exit 2 on unusable state settings, before anything runs. */
    StateBackend state(Environment env, AwsOptions aws) {
        StateBackend state = StateBackend.resolve(ctx.settings(), env, aws.region(env), aws.endpointUrl(env),
                aws.profile(env));
        return state.lookingWith(key -> {
            try (AwsClients clients = aws.clients(env)) {
                return clients.objectExists(Region.of(state.region()), state.bucket(), key);
            }
        });
    }

    /**
     * The steps of a start or stop. Prod with a local state gets a warning every time: another machine deploying
     * prod would not see it.
     *
     * @param yes      --yes was given: a state is then copied to where the settings now put it without asking
     * @param removals asked before a plan removing subscriptions or the function is applied
     */
    TerraformSteps steps(Environment env, AwsOptions aws, PrintWriter out, PrintWriter err, boolean yes,
                         TerraformSteps.Approval removals) {
        StateBackend state = state(env, aws);
        if (env.isProd() && !state.shared()) {
            err.println(style().warn("pglogs: warning: prod's Terraform state is local to this working copy ("
                    + terraformDir(env) + "): a start or stop from another machine will not see it. Set "
                    + Setting.STATE_BUCKET.key(env) + " (see 'pglogs state show prod')."));
            err.flush();
        } else if (env.isProd() && !state.locked()) {
            err.println(style().warn("pglogs: warning: prod's shared state has no lock table ("
                    + Setting.STATE_LOCK_TABLE.key(env) + "): two runs at once can overwrite each other's state."));
            err.flush();
        }
        TerraformSteps.Approval moveState = yes ? what -> true : TerraformSteps.typedYes(new Prompt(ctx, out),
                "moving the Terraform state needs a confirmation: run at a terminal, or pass --yes (or --reconfigure)");
        return new TerraformSteps(runner(env, aws, out, err), style(), out, state, reconfigure, moveState, removals);
    }

    Path terraformDir(Environment env) {
        return Path.of(ctx.settings().get(Setting.TERRAFORM_DIR, env, "--terraform-dir", terraformDir).value());
    }

    TerraformRunner runner(Environment env, AwsOptions aws, PrintWriter out, PrintWriter err) {
        Settings.Value binary = ctx.settings().get(Setting.TERRAFORM_BINARY, env, "--terraform", terraform);
        Path path = TerraformBinary.find(binary, ctx.env("PATH"));
        Map<String, String> childEnv = new HashMap<>(ctx.env());
        // The child sees the same AWS settings pglogs resolved, whichever way they were given.
        if (aws.profile(env).isSet()) {
            // Keys, a web identity or a container's credentials in the environment win over AWS_PROFILE in
            // Terraform's provider: with them the child could act on another account than pglogs' own calls, which
            // use the profile.
            CREDENTIALS_BEFORE_THE_PROFILE.forEach(childEnv::remove);
        }
        putIfSet(childEnv, "AWS_PROFILE", aws.profile(env));
        putIfSet(childEnv, "AWS_REGION", aws.region(env));
        putIfSet(childEnv, "AWS_ENDPOINT_URL", aws.endpointUrl(env));
        childEnv.putAll(aws.credentialEnvironment());
        return new TerraformRunner(path, ctx.color(), out, err, childEnv);
    }

    Style style() {
        return new Style(ctx.color());
    }

    /** @param storage the table's storage format; null leaves the root's default (a destroy needs none) */
    Map<String, Object> persistentDataVariables(Environment env, AwsOptions aws, StorageFormat storage) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("region", value(aws.region(env)));
        v.put("table_name", ctx.settings().get(Setting.TABLE, env).value());
        v.put("allowed_account_ids", allowedAccounts(env, aws));
        if (storage != null) {
            v.put("storage_format", storage.label());
        }
        return v;
    }

    /**
     * The storage format {@code <env>.storage} asks for, when it is set; a bad value is exit 2. Unset, the table's
     * own format is kept (see {@link #storage(Environment, DynamoDbClient, String)}).
     */
    Optional<StorageFormat> storage(Environment env) {
        Settings.Value v = ctx.settings().get(Setting.STORAGE, env);
        if (!v.isSet()) {
            return Optional.empty();
        }
        try {
            return Optional.of(StorageFormat.of(v.value()));
        } catch (IllegalArgumentException e) {
            throw new BadSettingException(Setting.STORAGE.key(env) + " '" + v.value() + "' (" + v.source()
                    + ") is not a storage format: use entries (one item per entry) or compact");
        }
    }

    Map<String, Object> collectorVariables(Environment env, AwsOptions aws, Path lambdaJar,
                                           CollectedDatabases databases) {
        Settings s = ctx.settings();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("region", value(aws.region(env)));
        v.put("allowed_account_ids", allowedAccounts(env, aws));
        v.put("table_name", s.get(Setting.TABLE, env).value());
        v.put("function_name", s.get(Setting.FUNCTION, env).value());
        v.put("lambda_jar_path", lambdaJar.toAbsolutePath().toString());
        v.put("rds_instance_ids", databases.instances());
        v.put("aurora_cluster_ids", databases.clusters());
        v.put("log_timezone", s.get(Setting.LOG_TIMEZONE, env).value());
        return v;
    }

    /** The provider refuses any other account than {@code <env>.account_id}, when it is set. */
    private static List<String> allowedAccounts(Environment env, AwsOptions aws) {
        Settings.Value account = aws.accountId(env);
        return account.isSet() ? List.of(account.value()) : null;
    }

    /** The instances and clusters the environment collects from, resolved in AWS when a list is "auto". */
    CollectedDatabases databases(Environment env, AwsClients clients) {
        return CollectedDatabases.resolve(ctx.settings(), env, clients::rds);
    }

    /**
     * The storage format the table is to have. A table's format is chosen when it is made: readers follow its tag and
     * would miss what was written in the other format. So an existing table keeps its own (its tag; none: entries),
     * whoever runs start and whatever their settings leave out; a setting that asks for the other one is refused.
     * A new table gets the setting's, else entries.
     */
    StorageFormat storage(Environment env, DynamoDbClient ddb, String table) {
        Optional<StorageFormat> wanted = storage(env);
        StorageFormat has;
        try {
            has = TableLayout.read(ddb, table).format();
        } catch (ResourceNotFoundException e) {
            return wanted.orElse(StorageFormat.ENTRIES);
        }
        if (wanted.isPresent() && has != wanted.get()) {
            throw new PreconditionException("table " + table + " stores its entries as " + has.label() + " but "
                    + Setting.STORAGE.key(env) + " = " + wanted.get().label() + ": a table's storage format is chosen "
                    + "when it is created (readers follow its tag and would miss what was written in the other). "
                    + "Keep " + Setting.STORAGE.key(env) + " = " + has.label() + " (or unset it), or name a new table ("
                    + Setting.TABLE.key(env) + ") for " + wanted.get().label() + "; nothing was changed");
        }
        return has;
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
