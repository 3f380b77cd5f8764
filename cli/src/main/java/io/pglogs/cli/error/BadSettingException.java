package io.pglogs.cli.error;

/** A setting (flag, environment variable or config file entry) has a value pglogs cannot use. Exit code 2. */
public final class BadSettingException extends RuntimeException {
    public BadSettingException(String message) {
        super(message);
    }
}
