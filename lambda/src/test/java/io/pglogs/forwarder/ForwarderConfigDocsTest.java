package io.pglogs.forwarder;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The README's configuration table names every variable the forwarder reads: asked of the code, not typed here. */
class ForwarderConfigDocsTest {
    @Test
    void theReadmeTableListsEveryVariableTheForwarderReads() throws IOException {
        Set<String> read = new TreeSet<>();
        HashMap<String, String> env = new HashMap<>() {
            @Override
            public String get(Object key) {
                read.add((String) key);
                return super.get(key);
            }

            @Override
            public String getOrDefault(Object key, String dflt) {
                read.add((String) key);
                return super.getOrDefault(key, dflt);
            }
        };
        env.put("PGLOGS_TABLE", "t");
        ForwarderConfig.fromEnvironment(env);
        assertTrue(read.contains("PGLOGS_FORMAT") && read.size() >= 6, read.toString());

        String readme = Files.readString(Path.of("..", "README.md"));
        for (String variable : read) {
            assertTrue(readme.contains("\n| `" + variable + "` |"), variable + " is read by the forwarder but not in "
                    + "README.md's configuration table");
        }
    }
}
