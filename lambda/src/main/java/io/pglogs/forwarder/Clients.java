package io.pglogs.forwarder;

import java.time.Duration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Builds the DynamoDB client once per container, as the SDK's Lambda archetype does. The URL-connection HTTP client
 * keeps the cold start short; region and endpoint come from AWS_REGION and AWS_ENDPOINT_URL like every SDK tool.
 */
public final class Clients {
    /** Benchmarks set this to "sdk-default" to measure the same handler on whatever HTTP client the SDK would pick. */
    static final String HTTP_CLIENT_PROPERTY = "pglogs.httpClient";

    private Clients() {
    }

    static DynamoDbClient dynamoDb() {
        DynamoDbClientBuilder builder = forForwarder(DynamoDbClient.builder());
        String region = System.getenv("AWS_REGION");
        if (region != null && !region.isBlank()) {
            builder.region(Region.of(region));
        }
        return builder.build();
    }

    /**
     * The HTTP client and retry settings the forwarder relies on, for any builder (tests add their endpoint).
     * The SDK gets two attempts per call: {@link io.pglogs.forwarder.dynamo.BatchWriter} owns the retrying, within the
     * invocation's deadline, and must see the errors to report them.
     */
    public static DynamoDbClientBuilder forForwarder(DynamoDbClientBuilder builder) {
        if (!"sdk-default".equals(System.getProperty(HTTP_CLIENT_PROPERTY))) {
            builder.httpClientBuilder(UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(3))
                    .socketTimeout(Duration.ofSeconds(20)));
        }
        return builder.overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(2)));
    }
}
