package io.pglogs.cli.terraform;

import io.pglogs.cli.aws.AwsClients;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatchlogs.model.SubscriptionFilter;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;

/**
 * What AWS itself has of an environment's collectors, whatever any Terraform state says: the function, and which of
 * the configured PostgreSQL log groups are subscribed to it (by pglogs' filter, "pglogs-&lt;env&gt;").
 *
 * @param functionArn null when the function does not exist
 * @param role        the function's role ARN, null when the function does not exist
 * @param subscribed  configured groups with pglogs' subscription filter
 * @param unsubscribed configured groups that exist without it
 * @param missing     configured groups that do not exist (the instance does not export its log, or is gone)
 */
public record DeployedCollectors(String function, String functionArn, String role, List<String> subscribed,
                                 List<String> unsubscribed, List<String> missing) {

    public static DeployedCollectors look(AwsClients clients, String environment, String function,
                                          List<String> groups) {
        String arn = null;
        String role = null;
        try {
            FunctionConfiguration f = clients.lambda().getFunction(b -> b.functionName(function)).configuration();
            arn = f.functionArn();
            role = f.role();
        } catch (software.amazon.awssdk.services.lambda.model.ResourceNotFoundException e) {
            // not there: said by a null ARN
        }
        List<String> subscribed = new ArrayList<>();
        List<String> unsubscribed = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String group : groups) {
            try {
                boolean ours = false;
                for (SubscriptionFilter f : clients.logs().describeSubscriptionFilters(b -> b.logGroupName(group))
                        .subscriptionFilters()) {
                    ours |= f.filterName().equals(filterName(environment));
                }
                (ours ? subscribed : unsubscribed).add(group);
            } catch (ResourceNotFoundException e) {
                missing.add(group);
            }
        }
        return new DeployedCollectors(function, arn, role, subscribed, unsubscribed, missing);
    }

    /** The subscription filter's name, as the collectors module names it. */
    public static String filterName(String environment) {
        return "pglogs-" + environment;
    }

    public boolean functionExists() {
        return functionArn != null;
    }

    /** Nothing of the collectors is left: no function, no group subscribed by pglogs. */
    public boolean gone() {
        return !functionExists() && subscribed.isEmpty();
    }
}
