package io.pglogs.cli.ingest;

import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * What a CLI writer's rollup phase needs to know of the table, from one DescribeTable made when the phase starts:
 * the time by AWS's clock (the response's HTTP {@code Date} header) and whether the table is PROVISIONED.
 *
 * <p>Why AWS's clock (review P6, F2): a writer off the live path may roll a span once it ended
 * {@link io.pglogs.forwarder.dynamo.Roller#WRITER_ROLL_AFTER_MILLIS} ago, which is safe only if the live writers'
 * clocks (Lambda's, which keeps AWS's time) are at most the skew behind ours. The operator's laptop or CI runner may
 * run minutes fast; a span rolled too early would miss a late delivery that did not bump it, and the report would
 * silently under-count. {@link #now} is the earlier of the two clocks, so a fast local clock changes nothing and a slow
 * one only rolls later. The header has whole seconds (truncated) and is stamped before the response travels: both
 * make AWS's time read earlier, never later.
 */
public record TableClock(Instant local, Instant aws, boolean provisioned) {
    /** The time the phase uses: the earlier of the local clock and AWS's (the local one when AWS sent no date). */
    public Instant now() {
        return aws == null || local.isBefore(aws) ? local : aws;
    }

    /** Describes {@code table}, then reads {@code local}. */
    public static TableClock of(DynamoDbClient ddb, String table, Clock local) {
        DescribeTableResponse r = ddb.describeTable(b -> b.tableName(table));
        Instant aws = r.sdkHttpResponse().firstMatchingHeader("Date").flatMap(TableClock::httpDate).orElse(null);
        return new TableClock(local.instant(), aws, provisioned(r.table()));
    }

    /** An RFC 1123 HTTP date ("Sat, 05 Dec 2026 09:37:05 GMT"); empty when it is not one. */
    static Optional<Instant> httpDate(String value) {
        try {
            return Optional.of(ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** A table created before on-demand existed may have no billing mode summary: then it is provisioned. */
    private static boolean provisioned(TableDescription t) {
        if (t.billingModeSummary() != null && t.billingModeSummary().billingMode() != null) {
            return t.billingModeSummary().billingMode() == BillingMode.PROVISIONED;
        }
        return t.provisionedThroughput() != null && t.provisionedThroughput().readCapacityUnits() != null
                && t.provisionedThroughput().readCapacityUnits() > 0;
    }
}
