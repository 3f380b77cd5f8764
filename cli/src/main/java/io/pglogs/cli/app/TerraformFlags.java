package io.pglogs.cli.app;

/**
 * How start and stop run Terraform, as typed: the binary and the directory of the roots (null: the settings decide),
 * plan only, and whether a moved state is used as it is rather than copied.
 */
public record TerraformFlags(String binary, String directory, boolean planOnly, boolean reconfigure) {
}
