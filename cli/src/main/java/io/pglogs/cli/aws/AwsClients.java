package io.pglogs.cli.aws;

import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import io.pglogs.cli.error.PreconditionException;
import io.pglogs.cli.config.Settings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
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
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

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
    private StsClient sts;
    private GetCallerIdentityResponse identity;

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
            return profileCredentials(profile.value(), profileFiles(env));
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

    /**
     * The profile's credentials, or a precondition naming the profile when it has none (docs/cli.md: exit 3), rather
     * than the SDK's client error, which reads like an unreachable AWS and dumps the whole profile file.
     */
    private static AwsCredentialsProvider profileCredentials(String name, ProfileFile files) {
        AwsCredentialsProvider profile = ProfileCredentialsProvider.builder().profileFile(files).profileName(name)
                .build();
        return () -> {
            try {
                return profile.resolveCredentials();
            } catch (SdkClientException e) {
                throw new PreconditionException("no AWS credentials for profile '" + name + "': " + (files.profile(name)
                        .isPresent() ? "it has no keys, role, SSO or credential_process"
                        : "no such profile in ~/.aws/config or ~/.aws/credentials (AWS_CONFIG_FILE, "
                        + "AWS_SHARED_CREDENTIALS_FILE)") + "; pass another --profile or run 'aws configure --profile "
                        + name + "'");
            }
        };
    }

    /**
     * The config and credentials files the environment pglogs was given names (AWS_CONFIG_FILE,
     * AWS_SHARED_CREDENTIALS_FILE, else under its HOME): the same files the Terraform child reads, so both act as the
     * same profile.
     */
    private static ProfileFile profileFiles(Map<String, String> env) {
        Path home = Path.of(env.getOrDefault("HOME", System.getProperty("user.home")));
        ProfileFile.Aggregator files = ProfileFile.aggregator();
        addIfPresent(files, env.get("AWS_CONFIG_FILE"), home.resolve(".aws/config"), ProfileFile.Type.CONFIGURATION);
        addIfPresent(files, env.get("AWS_SHARED_CREDENTIALS_FILE"), home.resolve(".aws/credentials"),
                ProfileFile.Type.CREDENTIALS);
        return files.build();
    }

    private static void addIfPresent(ProfileFile.Aggregator files, String named, Path fallback, ProfileFile.Type type) {
        Path file = named == null || named.isEmpty() ? fallback : Path.of(named);
        if (Files.isRegularFile(file)) {
            files.addFile(ProfileFile.builder().content(file).type(type).build());
        }
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
            // Backfill pages through FilterLogEvents, and start, stop, status and instances ask every group for its
            // subscription filters: calls CloudWatch Logs throttles at a few a second per account and region, shared
            // with every other tool there. Retry patiently, and once throttled slow down (adaptive: a client-side
            // rate that follows the throttling), rather than spend the attempts in a burst.
            logs = configure(CloudWatchLogsClient.builder()).httpClient(http)
                    .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.adaptiveRetryStrategy().toBuilder()
                            .maxAttempts(10).build())).build();
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

    public synchronized StsClient sts() {
        if (sts == null) {
            sts = configure(StsClient.builder()).httpClient(http).build();
        }
        return sts;
    }

    /**
     * Whether {@code bucket} holds an object under {@code key}. Its own short-lived client: the bucket can be in
     * another region than the environment's.
     */
    public boolean objectExists(Region bucketRegion, String bucket, String key) {
        S3ClientBuilder builder = S3Client.builder().region(bucketRegion).credentialsProvider(credentials)
                .httpClient(http);
        if (endpoint != null) {
            builder.endpointOverride(endpoint).forcePathStyle(true);
        }
        try (S3Client s3 = builder.build()) {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** STS GetCallerIdentity of these credentials, asked once. */
    public synchronized GetCallerIdentityResponse identity() {
        if (identity == null) {
            identity = sts().getCallerIdentity();
        }
        return identity;
    }

    /**
     * Fails unless these credentials act on the account {@code expected} names, so that nothing is touched in
     * another one.
     */
    public void requireAccount(Settings.Value expected) {
        GetCallerIdentityResponse me = identity();
        if (!expected.value().equals(me.account())) {
            throw new PreconditionException("these credentials act on account " + me.account() + " (" + me.arn()
                    + "), but " + expected.key() + " is " + expected.value() + " (" + expected.source()
                    + "): nothing was touched; use credentials of that account, e.g. --profile");
        }
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable c : new AutoCloseable[] {dynamoDb, dynamoDbStreams, lambda, logs, rds, sqs, sts}) {
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
