package io.pglogs.cli.terraform;

import io.pglogs.cli.aws.AwsClients;
import io.pglogs.cli.logs.LogGroups;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatchlogs.model.SubscriptionFilter;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;

/**
 * What AWS itself has of an environment's collectors, whatever any Terraform state says: the function, and which
 * PostgreSQL log groups are subscribed to it by pglogs' filter ("pglogs-&lt;env&gt;" delivering to the function or its
 * alias).
 *
 * @param functionArn  null when the function does not exist
 * @param role         the function's role ARN, null when the function does not exist
 * @param subscribed   groups looked at with pglogs' subscription filter to this function
 * @param unsubscribed configured groups that exist without it
 * @param missing      configured groups that do not exist (the instance does not export its log, or is gone)
 * @param looked       how many groups were looked at
 */
public record DeployedCollectors(String function, String functionArn, String role, List<String> subscribed,
                                 List<String> unsubscribed, List<String> missing, int looked) {

    /** The function and the configured groups: what a start has to have made. */
    public static DeployedCollectors look(AwsClients clients, String environment, String function,
                                          List<String> groups) {
        return look(clients, environment, function, groups, List.of());
    }

    /**
     * The function and every PostgreSQL group of the region: what a stop has to have removed, including
     * subscriptions on groups this configuration no longer lists (or never listed, on another machine).
     */
    public static DeployedCollectors lookEverywhere(AwsClients clients, String environment, String function,
                                                    List<String> groups) {
        return look(clients, environment, function, groups,
                LogGroups.postgres(clients.logs()).stream().map(LogGroup::logGroupName).toList());
    }

    private static DeployedCollectors look(AwsClients clients, String environment, String function,
                                           List<String> configured, List<String> others) {
        String arn = null;
        String role = null;
        try {
            FunctionConfiguration f = clients.lambda().getFunction(b -> b.functionName(function)).configuration();
            arn = f.functionArn();
            role = f.role();
        } catch (software.amazon.awssdk.services.lambda.model.ResourceNotFoundException e) {
            // not there: said by a null ARN
        }
        Set<String> wanted = Set.copyOf(configured);
        Set<String> groups = new LinkedHashSet<>(configured);
        groups.addAll(others);
        List<String> subscribed = new ArrayList<>();
        List<String> unsubscribed = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String group : groups) {
            try {
                boolean ours = false;
                for (SubscriptionFilter f : clients.logs().describeSubscriptionFilters(b -> b.logGroupName(group)
                        .filterNamePrefix(filterName(environment)))
                        .subscriptionFilters()) {
                    ours |= f.filterName().equals(filterName(environment))
                            && function.equals(functionNameOf(f.destinationArn()));
                }
                if (ours) {
                    subscribed.add(group);
                } else if (wanted.contains(group)) {
                    unsubscribed.add(group);
                }
            } catch (ResourceNotFoundException e) {
                if (wanted.contains(group)) {
                    missing.add(group);
                }
            }
        }
        return new DeployedCollectors(function, arn, role, subscribed, unsubscribed, missing, groups.size());
    }

    /** The function a Lambda ARN names, qualified or not; null for any other destination (Kinesis, Firehose). */
    static String functionNameOf(String destinationArn) {
        String[] parts = destinationArn == null ? new String[0] : destinationArn.split(":");
        return parts.length >= 7 && parts[2].equals("lambda") && parts[5].equals("function") ? parts[6] : null;
    }

    /** The subscription filter's name, as the collectors module names it. */
    public static String filterName(String environment) {
        return "pglogs-" + environment;
    }

    public boolean functionExists() {
        return functionArn != null;
    }

    /** Nothing of the collectors is left: no function, no group subscribed to it by pglogs. */
    public boolean gone() {
        return !functionExists() && subscribed.isEmpty();
    }
}
