package io.pglogs.cli.option;

import picocli.CommandLine.Option;

/** --output text|json. */
public final class OutputOptions {
    public enum Format { text, json }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    public boolean json() {
        return format == Format.json;
    }
}
