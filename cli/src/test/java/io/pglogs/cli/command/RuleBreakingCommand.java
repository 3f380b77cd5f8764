package io.pglogs.cli.command;

import io.pglogs.cli.aws.AwsClients;
import io.pglogs.cli.config.Settings;
import io.pglogs.cli.status.StatusCollector;
import java.util.Map;
import io.pglogs.cli.terraform.TerraformSteps;
import java.util.concurrent.Callable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A command breaking the layering rules, for ArchitectureTest to prove they can fail: it holds an AWS client and a
 * Terraform type, makes its own clients and a service itself. Test code, never on the tool's class path.
 */
final class RuleBreakingCommand implements Callable<Integer> {
    DynamoDbClient ddb;
    TerraformSteps.Mode mode;

    @Override
    public Integer call() {
        Settings.Value none = new Settings.Value("x", null, "default");
        try (AwsClients own = AwsClients.create(none, none, none, Map.of())) {
            return new StatusCollector(own.dynamoDb(), null, null, null, null).hashCode();
        }
    }
}
