package io.pglogs.cli.local;

import io.pglogs.cli.aws.AwsClients;
import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.LogTable;
import java.util.List;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;

/** What the local pipeline needs in the emulator: the devel table, the instance's and the forwarder's log groups. */
final class LocalProvisioning {
    private LocalProvisioning() {
    }

    static void provision(LocalState state) {
        String group = LogSource.instanceLogGroup(LocalState.INSTANCE);
        try (AwsClients clients = state.clients()) {
            CloudWatchLogsClient logs = clients.logs();
            LogTable.create(clients.dynamoDb(), LocalState.TABLE, ItemContract.DEFAULT_SHARDS);
            for (String g : List.of(group, "/aws/lambda/" + LocalState.FUNCTION)) {
                try {
                    logs.createLogGroup(b -> b.logGroupName(g));
                } catch (ResourceAlreadyExistsException e) {
                    // provisioned by an earlier run
                }
                logs.putRetentionPolicy(b -> b.logGroupName(g).retentionInDays(14));
            }
            logs.createLogStream(b -> b.logGroupName(group).logStreamName(LocalState.INSTANCE + ".0"));
        }
        state.set("log_group", group);
        state.set("log_stream", LocalState.INSTANCE + ".0");
    }
}
