package io.pglogs.cli.aws;

import io.pglogs.cli.PreconditionException;
import io.pglogs.cli.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The AWS clients of one command, sharing one lightweight HTTP client; built lazily, closed together. */
public final class AwsClients implements AutoCloseable {
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final URI endpoint;
    private final SdkHttpClient http;
    private DynamoDbClient dynamoDb;
    private LambdaClient lambda;
    private CloudWatchLogsClient logs;
    private RdsClient rds;
    private SqsClient sqs;
    private DynamoDbStreamsClient dynamoDbStreams;

    private AwsClients(Region region, AwsCredentialsProvider credentials, URI endpoint) {
        this.region = region;
        this.credentials = credentials;
        this.endpoint = endpoint;
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(30))
                .build();
    }

    public static AwsClients create(Settings.Value region, Settings.Value profile, Settings.Value endpoint,
                                    Map<String, String> env) {
        AwsCredentialsProvider credentials = credentials(profile, env);
        URI uri = null;
        if (endpoint.isSet()) {
            try {
                uri = URI.create(endpoint.value());
            } catch (IllegalArgumentException e) {
                throw new PreconditionException("endpoint URL '" + endpoint.value() + "' (" + endpoint.source()
                        + ") is not a URL");
            }
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new PreconditionException("endpoint URL '" + endpoint.value() + "' (" + endpoint.source()
                        + ") needs a scheme and host, e.g. http://127.0.0.1:5000");
            }
        }
        return new AwsClients(resolveRegion(region, profile), credentials, uri);
    }

    /** A profile when one is named, else keys from the environment pglogs was given, else the SDK's chain. */
    private static AwsCredentialsProvider credentials(Settings.Value profile, Map<String, String> env) {
        if (profile.isSet()) {
            return ProfileCredentialsProvider.create(profile.value());
        }
        String key = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (key != null && !key.isEmpty() && secret != null && !secret.isEmpty()) {
            String token = env.get("AWS_SESSION_TOKEN");
            return StaticCredentialsProvider.create(token == null || token.isEmpty()
                    ? AwsBasicCredentials.create(key, secret)
                    : AwsSessionCredentials.create(key, secret, token));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static Region resolveRegion(Settings.Value region, Settings.Value profile) {
        if (region.isSet()) {
            return Region.of(region.value());
        }
        try {
            return DefaultAwsRegionProviderChain.builder()
                    .profileName(profile.isSet() ? profile.value() : null).build().getRegion();
        } catch (SdkClientException e) {
            throw new PreconditionException("no AWS region: pass --region, set AWS_REGION, or put region= in the "
                    + "config file");
        }
    }

    public Region region() {
        return region;
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder) {
        builder.region(region).credentialsProvider(credentials);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }

    public synchronized DynamoDbClient dynamoDb() {
        if (dynamoDb == null) {
            dynamoDb = configure(DynamoDbClient.builder()).httpClient(http).build();
        }
        return dynamoDb;
    }

    public synchronized DynamoDbStreamsClient dynamoDbStreams() {
        if (dynamoDbStreams == null) {
            dynamoDbStreams = configure(DynamoDbStreamsClient.builder()).httpClient(http).build();
        }
        return dynamoDbStreams;
    }

    public synchronized LambdaClient lambda() {
        if (lambda == null) {
            lambda = configure(LambdaClient.builder()).httpClient(http).build();
        }
        return lambda;
    }

    public synchronized CloudWatchLogsClient logs() {
        if (logs == null) {
            // Backfill pages through FilterLogEvents, which throttles at a few calls a second: retry it patiently.
            logs = configure(CloudWatchLogsClient.builder()).httpClient(http)
                    .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(10))).build();
        }
        return logs;
    }

    public synchronized RdsClient rds() {
        if (rds == null) {
            rds = configure(RdsClient.builder()).httpClient(http).build();
        }
        return rds;
    }

    public synchronized SqsClient sqs() {
        if (sqs == null) {
            sqs = configure(SqsClient.builder()).httpClient(http).build();
        }
        return sqs;
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable c : new AutoCloseable[] {dynamoDb, dynamoDbStreams, lambda, logs, rds, sqs}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing is best effort
                }
            }
        }
        http.close();
    }
}
