package io.pglogs.cli.command;

import io.pglogs.cli.CliContext;
import io.pglogs.cli.FailureException;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.aws.AwsClients;
import io.pglogs.cli.config.Setting;
import io.pglogs.cli.ingest.DeployedSettings;
import io.pglogs.cli.query.LogReader;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/** --env: which environment's table a command reads or writes. */
public final class TableOptions {
    private final CliContext ctx;

    public TableOptions(CliContext ctx) {
        this.ctx = ctx;
    }

    /** For commands that take the environment as their argument rather than as --env. */
    TableOptions(CliContext ctx, Environment env) {
        this.ctx = ctx;
        this.env = env;
    }

    @Option(names = {"-e", "--env"}, paramLabel = "ENV", description = "Environment whose table to use: "
            + "${COMPLETION-CANDIDATES} (else PGLOGS_ENV, the config file, devel).")
    Environment env;

    Environment environment() {
        return ctx.settings().environment(env);
    }

    String table() {
        return ctx.settings().get(Setting.TABLE, environment()).value();
    }

    /** A reader of this environment's table, with the shard count the table publishes. */
    LogReader reader(DynamoDbClient ddb, int concurrency) {
        return new LogReader(ddb, table(), shards(ddb), concurrency);
    }

    /**
     * The TTL, shards and redaction this environment's deployment writes with (table tags, function environment),
     * for the CLI's own writers; a missing table is named.
     */
    DeployedSettings writing(AwsClients clients) {
        try {
            return DeployedSettings.read(clients.dynamoDb(), clients.lambda(), table(),
                    ctx.settings().get(Setting.FUNCTION, environment()).value());
        } catch (ResourceNotFoundException e) {
            throw new FailureException("table " + table() + " (" + environment() + ") does not exist: pglogs start "
                    + environment());
        }
    }

    /** The shard count the table publishes; a missing table is named. */
    int shards(DynamoDbClient ddb) {
        try {
            return LogReader.shards(ddb, table());
        } catch (ResourceNotFoundException e) {
            throw new FailureException("table " + table() + " (" + environment() + ") does not exist: pglogs start "
                    + environment());
        }
    }
}
