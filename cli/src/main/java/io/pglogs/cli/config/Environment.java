package io.pglogs.cli.config;

import java.nio.file.Path;

/** The built-in environments, each with its Terraform roots and default resource names. */
public enum Environment {
    devel,
    prod;

    public Path persistentDataRoot(Path terraformDir) {
        return terraformDir.resolve("persistent_data").resolve("manage_" + name());
    }

    public Path collectorsRoot(Path terraformDir) {
        return terraformDir.resolve("collectors").resolve("manage_" + name());
    }

    public boolean isProd() {
        return this == prod;
    }
}
