package io.pglogs.cli.command;

import picocli.CommandLine.IVersionProvider;

/** The version the build wrote into the jar's manifest. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"pglogs " + (v == null ? "(development build)" : v)};
    }
}
