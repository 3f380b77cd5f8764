package io.pglogs.terraform;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class FormatTest {
    @Test
    void everyFileIsAsTofuFmtWritesIt() throws Exception {
        Process p = Hcl.process(Hcl.tool("pglogs.tofu"), "fmt", "-check", "-recursive", "-diff", ".")
                .directory(Hcl.ROOT.toFile())
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "tofu fmt -check found unformatted files:\n" + out);
    }
}
