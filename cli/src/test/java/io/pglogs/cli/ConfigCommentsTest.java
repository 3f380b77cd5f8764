package io.pglogs.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config file is a properties file: an end-of-line comment is part of the value, and config show says so. */
class ConfigCommentsTest {
    private final TestCli cli = new TestCli();

    @TempDir
    Path tmp;

    @Test
    void configShowWarnsAboutAValueThatCarriesAComment() throws Exception {
        Path config = Files.writeString(tmp.resolve("config.properties"), "region = eu-west-1\n"
                + "prod.account_id = 123456789012   # every command checks its credentials act on this account\n"
                + "prod.state_bucket = acme-terraform-state\n");
        cli.env.put("PGLOGS_CONFIG", config.toString());
        TestCli.Result r = cli.run("config", "show", "--env", "prod");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("\nwarning: prod.account_id ("), r.out());
        assertTrue(r.out().contains("ends in what looks like a comment: '123456789012   # every command checks its "
                + "credentials act on this account' is all its value; put the comment on a line of its own"),
                r.out());
        assertEquals(1, r.out().lines().filter(l -> l.startsWith("warning: ")).count(), r.out());

        JsonNode json = new ObjectMapper().readTree(cli.run("config", "show", "--env", "prod", "-o", "json").out());
        assertEquals(1, json.get("warnings").size(), json.toString());

        r = cli.run("status", "prod");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().endsWith("is not an AWS account id (12 digits); a properties file keeps an end-of-line "
                + "comment in the value: put it on a line of its own\n"), r.err());
    }

    /** The example in docs/operator-guide.md, as an operator would paste it, gives the values it shows. */
    @Test
    void theOperatorGuidesExampleReadsAsItIsMeant() throws Exception {
        String guide = Files.readString(cli.home.resolve("docs/operator-guide.md"));
        Matcher block = Pattern.compile("```properties\n(.*?)```", Pattern.DOTALL).matcher(guide);
        assertTrue(block.find(), "the guide has a properties example");
        Path config = Files.writeString(tmp.resolve("config.properties"), block.group(1));
        cli.env.put("PGLOGS_CONFIG", config.toString());
        TestCli.Result r = cli.run("config", "show", "--env", "prod", "-o", "json");
        assertEquals(0, r.code(), r.toString());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(0, json.get("warnings").size(), json.toString());
        for (JsonNode v : json.get("settings")) {
            if (v.get("key").asText().equals("prod.account_id")) {
                assertEquals("123456789012", v.get("value").asText(), json.toString());
                return;
            }
        }
        fail("no prod.account_id in " + json);
    }
}
