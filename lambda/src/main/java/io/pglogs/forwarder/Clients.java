package io.pglogs.forwarder;

import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
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

    public static DynamoDbClient dynamoDb() {
        return dynamoDb(System.getenv());
    }

    static DynamoDbClient dynamoDb(Map<String, String> env) {
        DynamoDbClientBuilder builder = forForwarder(DynamoDbClient.builder());
        region(builder, env);
        // Where Lambda (on demand) and the local runner find credentials anyway: naming the provider spares the first
        // call the default chain's set-up. Elsewhere, and under SnapStart (container credentials), the chain decides.
        if (isSet(env, "AWS_ACCESS_KEY_ID") && isSet(env, "AWS_SECRET_ACCESS_KEY")) {
            builder.credentialsProvider(EnvironmentVariableCredentialsProvider.create());
        }
        return builder.build();
    }

    /**
     * A client configured like the forwarder's but answering through {@code http}, with placeholder credentials: the
     * SnapStart dry run, which must neither reach AWS nor fetch real credentials into the snapshot.
     */
    static DynamoDbClient forPriming(SdkHttpClient http, Map<String, String> env) {
        DynamoDbClientBuilder builder = withRetries(DynamoDbClient.builder()).httpClient(http)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("pglogs-priming", "pglogs-priming")));
        if (!region(builder, env)) {
            builder.region(Region.US_EAST_1);
        }
        return builder.build();
    }

    private static boolean region(DynamoDbClientBuilder builder, Map<String, String> env) {
        if (isSet(env, "AWS_REGION")) {
            builder.region(Region.of(env.get("AWS_REGION").trim()));
            return true;
        }
        return false;
    }

    private static boolean isSet(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }

    /**
     * The HTTP client and retry settings the forwarder relies on, for any builder (tests add their endpoint).
     */
    public static DynamoDbClientBuilder forForwarder(DynamoDbClientBuilder builder) {
        if (!"sdk-default".equals(System.getProperty(HTTP_CLIENT_PROPERTY))) {
            builder.httpClientBuilder(UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(3))
                    .socketTimeout(Duration.ofSeconds(20)));
        }
        return withRetries(builder);
    }

    /**
     * The SDK gets two attempts per call: {@link io.pglogs.forwarder.dynamo.BatchWriter} owns the retrying, within the
     * invocation's deadline, and must see the errors to report them.
     */
    private static DynamoDbClientBuilder withRetries(DynamoDbClientBuilder builder) {
        return builder.overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(2)));
    }
}
