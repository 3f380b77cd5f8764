package io.pglogs.cli.terraform;

import io.pglogs.cli.error.PreconditionException;
import io.pglogs.cli.config.Settings;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds terraform or tofu: the configured binary (flag, PGLOGS_TERRAFORM, config file), else tofu or terraform on PATH. */
public final class TerraformBinary {
    static final String INSTALL_HINT = "install OpenTofu (scripts/setup-tools builds it) or Terraform, or name the "
            + "binary with --terraform, PGLOGS_TERRAFORM or terraform.binary in the config file";

    private TerraformBinary() {
    }

    public static Path find(Settings.Value configured, String pathVariable) {
        if (configured.isSet()) {
            Path p = Path.of(configured.value());
            if (p.getNameCount() == 1 && !Files.exists(p)) {
                Path onPath = onPath(configured.value(), pathVariable);
                if (onPath != null) {
                    return onPath;
                }
            }
            if (!Files.isExecutable(p)) {
                throw new PreconditionException(configured.value() + " (" + configured.source()
                        + ") is not an executable terraform or tofu; " + INSTALL_HINT);
            }
            return p;
        }
        for (String name : new String[] {"tofu", "terraform"}) {
            Path p = onPath(name, pathVariable);
            if (p != null) {
                return p;
            }
        }
        throw new PreconditionException("neither tofu nor terraform is on PATH; " + INSTALL_HINT);
    }

    private static Path onPath(String name, String pathVariable) {
        if (pathVariable == null) {
            return null;
        }
        for (String dir : pathVariable.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                    return p;
                }
            }
        }
        return null;
    }
}
