package io.pglogs.cli.command;

import io.pglogs.cli.CliContext;
import io.pglogs.cli.PreconditionException;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Setting;
import io.pglogs.cli.config.Settings;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.terraform.TerraformBinary;
import io.pglogs.cli.terraform.TerraformRunner;
import io.pglogs.cli.term.Style;
import io.pglogs.cli.query.TableLayout;
import io.pglogs.forwarder.dynamo.StorageFormat;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** What start and stop share: where the Terraform is, which binary runs it, and the variables for each root. */
public final class DeploymentOptions {
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

    Path terraformDir(Environment env) {
        return Path.of(ctx.settings().get(Setting.TERRAFORM_DIR, env, "--terraform-dir", terraformDir).value());
    }

    TerraformRunner runner(Environment env, AwsOptions aws, PrintWriter out, PrintWriter err) {
        Settings.Value binary = ctx.settings().get(Setting.TERRAFORM_BINARY, env, "--terraform", terraform);
        Path path = TerraformBinary.find(binary, ctx.env("PATH"));
        Map<String, String> childEnv = new HashMap<>(ctx.env());
        // The child sees the same AWS settings pglogs resolved, whichever way they were given.
        putIfSet(childEnv, "AWS_PROFILE", aws.profile(env));
        putIfSet(childEnv, "AWS_REGION", aws.region(env));
        putIfSet(childEnv, "AWS_ENDPOINT_URL", aws.endpointUrl(env));
        childEnv.putAll(aws.credentialEnvironment());
        return new TerraformRunner(path, ctx.color(), out, err, childEnv);
    }

    Style style() {
        return new Style(ctx.color());
    }

    Map<String, Object> persistentDataVariables(Environment env, AwsOptions aws) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("region", value(aws.region(env)));
        v.put("table_name", ctx.settings().get(Setting.TABLE, env).value());
        v.put("storage_format", storage(env).label());
        return v;
    }

    /** The storage format the environment's table is to have ({@code <env>.storage}); a bad value is named. */
    StorageFormat storage(Environment env) {
        Settings.Value v = ctx.settings().get(Setting.STORAGE, env);
        try {
            return StorageFormat.of(v.value());
        } catch (IllegalArgumentException e) {
            throw new PreconditionException(Setting.STORAGE.key(env) + " = " + v.value() + ": not a storage format; "
                    + "use entries (one item per entry) or compact");
        }
    }

    Map<String, Object> collectorVariables(Environment env, AwsOptions aws, Path lambdaJar) {
        Settings s = ctx.settings();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("region", value(aws.region(env)));
        v.put("table_name", s.get(Setting.TABLE, env).value());
        v.put("function_name", s.get(Setting.FUNCTION, env).value());
        v.put("lambda_jar_path", lambdaJar.toAbsolutePath().toString());
        v.put("rds_instance_ids", Settings.list(s.get(Setting.RDS_INSTANCES, env)));
        v.put("aurora_cluster_ids", Settings.list(s.get(Setting.AURORA_CLUSTERS, env)));
        v.put("log_timezone", s.get(Setting.LOG_TIMEZONE, env).value());
        return v;
    }

    /**
     * A table's storage format is chosen when it is made: readers follow the tag and would miss what was written in
     * the other format, so the tag of an existing table (none: entries) must not change.
     */
    void refuseStorageChange(DynamoDbClient ddb, String table, Environment env) {
        StorageFormat wanted = storage(env);
        StorageFormat has;
        try {
            has = TableLayout.read(ddb, table).format();
        } catch (ResourceNotFoundException e) {
            return;
        }
        if (has != wanted) {
            throw new PreconditionException("table " + table + " stores its entries as " + has.label() + " but "
                    + Setting.STORAGE.key(env) + " = " + wanted.label() + ": a table's storage format is chosen when "
                    + "it is created (readers follow its tag and would miss what was written in the other). Keep "
                    + Setting.STORAGE.key(env) + " = " + has.label() + ", or name a new table ("
                    + Setting.TABLE.key(env) + ") for " + wanted.label() + "; nothing was changed");
        }
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
