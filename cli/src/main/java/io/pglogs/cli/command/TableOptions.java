package io.pglogs.cli.command;

import io.pglogs.cli.CliContext;
import io.pglogs.cli.FailureException;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.aws.AwsClients;
import io.pglogs.cli.config.Setting;
import io.pglogs.cli.ingest.DeployedSettings;
import io.pglogs.cli.query.LogReader;
import io.pglogs.cli.query.TableLayout;
import io.pglogs.cli.option.EnvOptions;
import picocli.CommandLine.Mixin;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/** Which environment's table a command reads or writes (--env). */
public final class TableOptions {
    private final CliContext ctx;

    public TableOptions(CliContext ctx) {
        this.ctx = ctx;
    }

    /** For commands that take the environment as their argument rather than as --env. */
    TableOptions(CliContext ctx, Environment env) {
        this.ctx = ctx;
        this.fixed = env;
    }

    private Environment fixed;

    @Mixin
    EnvOptions env;

    Environment environment() {
        return fixed != null ? fixed : ctx.settings().environment(env.given());
    }

    String table() {
        return ctx.settings().get(Setting.TABLE, environment()).value();
    }

    /** A reader of this environment's table, with the shard count and storage format the table publishes. */
    LogReader reader(DynamoDbClient ddb, int concurrency) {
        return new LogReader(ddb, table(), layout(ddb), concurrency);
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

    /** The shard count and storage format the table publishes; a missing table or an unreadable tag is named. */
    TableLayout layout(DynamoDbClient ddb) {
        try {
            return TableLayout.read(ddb, table());
        } catch (ResourceNotFoundException e) {
            throw new FailureException("table " + table() + " (" + environment() + ") does not exist: pglogs start "
                    + environment());
        } catch (IllegalArgumentException e) {
            throw new FailureException("table " + table() + " (" + environment() + ") has a tag readers cannot "
                    + "follow: " + e.getMessage());
        }
    }
}
