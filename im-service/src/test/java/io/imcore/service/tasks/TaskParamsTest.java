package io.imcore.service.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.util.Duration;
import io.imcore.protocol.Servers;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Parameter checks shared by every task: each failure is one line that names the parameter. */
class TaskParamsTest {
    static TaskParams params(Map<String, List<String>> raw) {
        return TaskParams.of("t", raw, Set.of("id", "limit", "period", "node"));
    }

    @Test
    void rejectsUnknownAndRepeatedParameters() {
        assertThatThrownBy(() -> params(Map.of("idd", List.of("a"))))
                .isInstanceOf(TaskArgumentException.class)
                .hasMessage("unknown parameter 'idd': t takes format, id, limit, node, period");
        assertThatThrownBy(() -> params(Map.of("id", List.of("a", "b"))))
                .hasMessage("parameter 'id' given 2 times; give it once");
    }

    @Test
    void formatIsJsonByDefaultOrText() {
        assertThat(params(Map.of()).textFormat()).isFalse();
        assertThat(params(Map.of("format", List.of("json"))).textFormat()).isFalse();
        assertThat(params(Map.of("format", List.of("text"))).textFormat()).isTrue();
        assertThatThrownBy(() -> params(Map.of("format", List.of("xml"))).textFormat())
                .hasMessage("format must be json or text, was 'xml'");
    }

    @Test
    void clientIdsFollowTheProtocol() {
        assertThat(params(Map.of("id", List.of("alice"))).clientId("id")).isEqualTo("alice");
        assertThatThrownBy(() -> params(Map.of()).clientId("id")).hasMessage("missing parameter 'id'");
        assertThatThrownBy(() -> params(Map.of("id", List.of(""))).clientId("id"))
                .hasMessage("parameter 'id' must not be empty");
        assertThatThrownBy(() -> params(Map.of("id", List.of("a\nb"))).clientId("id"))
                .hasMessage("id: clientId must not contain control characters (found U+000A at index 1)");
        assertThatThrownBy(() -> params(Map.of("id", List.of("x".repeat(129)))).clientId("id"))
                .hasMessage("id: clientId must be at most 128 characters, was 129");
    }

    @Test
    void integersAndDurationsAreBounded() {
        assertThat(params(Map.of()).integer("limit", 100, 1, 10)).isEqualTo(100);
        assertThat(params(Map.of("limit", List.of("7"))).integer("limit", 100, 1, 10))
                .isEqualTo(7);
        assertThatThrownBy(() -> params(Map.of("limit", List.of("0"))).integer("limit", 5, 1, 10))
                .hasMessage("limit must be between 1 and 10, was 0");
        assertThatThrownBy(() -> params(Map.of("limit", List.of("many"))).integer("limit", 5, 1, 10))
                .hasMessage("limit must be an integer, was 'many'");
        Duration max = Duration.hours(1);
        assertThat(params(Map.of("period", List.of("2s")))
                        .duration("period", Duration.seconds(10), Duration.seconds(0), max))
                .isEqualTo(java.time.Duration.ofSeconds(2));
        assertThatThrownBy(() -> params(Map.of("period", List.of("soon")))
                        .duration("period", Duration.seconds(10), Duration.seconds(0), max))
                .hasMessage("period must be a duration such as 30s or 2m, was 'soon'");
        assertThatThrownBy(() -> params(Map.of("period", List.of("2 hours")))
                        .duration("period", Duration.seconds(10), Duration.seconds(0), max))
                .hasMessage("period must be between 0 seconds and 1 hour, was 2 hours");
    }

    @Test
    void serverEntriesMustBeListedAndEchoesAreSafe() {
        Servers servers = Servers.of(List.of("a:1", "b:1"));
        assertThat(params(Map.of("node", List.of("b:1"))).serverEntry("node", servers))
                .isEqualTo("b:1");
        assertThat(params(Map.of()).serverEntry("node", servers)).isNull();
        assertThatThrownBy(() -> params(Map.of("node", List.of("c:1\r\n"))).serverEntry("node", servers))
                .hasMessage("node must be one of [a:1, b:1], was 'c:1??'");
        assertThat(TaskParams.echo("y".repeat(70))).hasSize(61).endsWith("…");
    }
}
