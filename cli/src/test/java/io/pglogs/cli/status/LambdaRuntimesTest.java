package io.pglogs.cli.status;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.cli.status.LambdaRuntimes.Support;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LambdaRuntimesTest {
    private static final LocalDate AL2_END = LocalDate.of(2026, 6, 30);

    @Test
    void java17IsSupportedUntilAmazonLinux2EndsThenAProblem() {
        assertEquals(Optional.of(Support.SUPPORTED), LambdaRuntimes.support("java17", LocalDate.of(2025, 12, 1)));
        assertEquals(Optional.of(Support.ENDING), LambdaRuntimes.support("java17", AL2_END.minusDays(180)));
        assertEquals(Optional.of(Support.ENDING), LambdaRuntimes.support("java17", AL2_END.minusDays(1)));
        assertEquals(Optional.empty(), LambdaRuntimes.problem("fn", "java17", AL2_END.minusDays(1)));
        assertEquals(Optional.of(Support.ENDED), LambdaRuntimes.support("java17", AL2_END));
        assertEquals(Optional.of("function fn runs on java17 (Amazon Linux 2), past its end of life since 2026-06-30; "
                        + "Lambda blocks updates to it from 2026-08-31 (pglogs start deploys java21)"),
                LambdaRuntimes.problem("fn", "java17", AL2_END));
        assertEquals(Optional.of("function fn runs on java11 (Amazon Linux 2), past its end of life since 2026-06-30; "
                        + "Lambda has blocked updates to it since 2026-08-31 (pglogs start deploys java21)"),
                LambdaRuntimes.problem("fn", "java11", LocalDate.of(2026, 11, 29)));
        assertTrue(LambdaRuntimes.problem("fn", "java8.al2", LocalDate.of(2026, 7, 1)).isPresent());
        assertTrue(LambdaRuntimes.problem("fn", "java8", LocalDate.of(2024, 1, 8)).orElseThrow()
                .contains("no longer lets functions be created on it"));
    }

    @Test
    void theAmazonLinux2023RuntimesRunTo2029() {
        for (String runtime : new String[] {"java21", "java25"}) {
            assertEquals(Optional.of(LocalDate.of(2029, 6, 30)), LambdaRuntimes.endOfLife(runtime));
            assertEquals(Optional.of(Support.SUPPORTED), LambdaRuntimes.support(runtime, LocalDate.of(2026, 11, 29)));
            assertEquals(Optional.empty(), LambdaRuntimes.problem("fn", runtime, LocalDate.of(2029, 6, 29)));
            assertTrue(LambdaRuntimes.problem("fn", runtime, LocalDate.of(2029, 6, 30)).isPresent());
        }
    }

    @Test
    void runtimesTheTableDoesNotKnowAreLeftAlone() {
        for (String runtime : new String[] {"java29", "python3.13", "provided.al2023", null}) {
            assertEquals(Optional.empty(), LambdaRuntimes.support(runtime, LocalDate.of(2040, 1, 1)), runtime);
            assertEquals(Optional.empty(), LambdaRuntimes.problem("fn", runtime, LocalDate.of(2040, 1, 1)), runtime);
            assertEquals(Optional.empty(), LambdaRuntimes.endOfLife(runtime), runtime);
        }
    }
}
