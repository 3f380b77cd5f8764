package io.pglogs.cli.logs;

import java.util.List;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * A log group's subscription filters. CloudWatch Logs allows two per group, a limit that cannot be raised, and many
 * accounts already use one (a Datadog, Splunk or Elastic forwarder), so whether pglogs' filter fits is asked before
 * anything is planned.
 *
 * @param exists  whether the group exists
 * @param filters the filters it has
 */
public record SubscriptionSlots(String group, boolean exists, List<Filter> filters) {
    /** Subscription filters per log group (a CloudWatch Logs quota that cannot be raised). */
    public static final int LIMIT = 2;

    /** One subscription filter: its name and where it delivers. */
    public record Filter(String name, String destination) {
        @Override
        public String toString() {
            return name + " (" + destination + ")";
        }

        /** Whether it delivers to this function, qualified (an alias, a version) or not. */
        public boolean deliversTo(String functionArn) {
            return destination != null && functionArn != null
                    && (destination.equals(functionArn) || destination.startsWith(functionArn + ":"));
        }
    }

    public static SubscriptionSlots of(CloudWatchLogsClient logs, String group) {
        try {
            return new SubscriptionSlots(group, true, logs.describeSubscriptionFiltersPaginator(b -> b
                    .logGroupName(group)).subscriptionFilters().stream()
                    .map(f -> new Filter(f.filterName(), f.destinationArn())).toList());
        } catch (ResourceNotFoundException e) {
            return new SubscriptionSlots(group, false, List.of());
        }
    }

    public int free() {
        return Math.max(0, LIMIT - filters.size());
    }

    public boolean holds(String filterName) {
        return filters.stream().anyMatch(f -> f.name().equals(filterName));
    }

    /** Whether a filter of this name can be put: it is there already (then replaced in place) or a slot is free. */
    public boolean admits(String filterName) {
        return exists && (holds(filterName) || filters.size() < LIMIT);
    }

    /** The filters, for a person: "name (destination) and name (destination)". */
    public String describe() {
        return filters.isEmpty() ? "none" : String.join(" and ", filters.stream().map(Filter::toString).toList());
    }
}
