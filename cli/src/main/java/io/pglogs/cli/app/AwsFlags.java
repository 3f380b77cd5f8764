package io.pglogs.cli.app;

/**
 * Where and as whom to call AWS as typed on the command line (--profile, --region, --endpoint-url, --local); each
 * null when not given, so that the environment variables and the config file decide.
 */
public record AwsFlags(String profile, String region, String endpointUrl, boolean local) {
    public static final AwsFlags NONE = new AwsFlags(null, null, null, false);
}
