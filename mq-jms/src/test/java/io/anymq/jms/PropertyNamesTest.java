package io.anymq.jms;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PropertyNamesTest {

    @Test
    void plainIdentifiersStayAsTheyAre() {
        assertThat(PropertyNames.encode("traceId")).isEqualTo("traceId");
        assertThat(PropertyNames.encode("a_b_1")).isEqualTo("a_b_1");
        assertThat(PropertyNames.decode("traceId")).isEqualTo("traceId");
    }

    @Test
    void otherCharactersAreEscapedAsDollarAndFourHexDigits() {
        assertThat(PropertyNames.encode("content-type")).isEqualTo("content$002Dtype");
        assertThat(PropertyNames.encode("1st")).isEqualTo("$0031st");
        assertThat(PropertyNames.encode("NOT")).isEqualTo("$004EOT");
        assertThat(PropertyNames.encode("and")).isEqualTo("$0061nd");
        assertThat(PropertyNames.encode("JMSType")).isEqualTo("$004AMSType");
        assertThat(PropertyNames.encode("anymq_id")).isEqualTo("$0061nymq_id");
        assertThat(PropertyNames.encode("AMQ_SCHEDULED_DELAY")).isEqualTo("$0041MQ_SCHEDULED_DELAY");
        assertThat(PropertyNames.encode("a$b")).isEqualTo("a$0024b");
        assertThat(PropertyNames.encode("ü")).isEqualTo("$00FC");
    }

    @Test
    void everyNameComesBackExactly() {
        for (String name : List.of("trace-id", "content-type", "greeting", "x.y.z", "with space", "ключ", "📨🚀", "$", "$0041", "a$b",
                "JMSXGroupID", "anymq-dead-letter-reason", "_AMQ_x", "scheduledJobId", "null", "IS", "9", "_", "a=b;c")) {
            String property = PropertyNames.encode(name);
            assertThat(property).as(name).matches("[A-Za-z$][A-Za-z0-9_$]*");
            assertThat(PropertyNames.isReserved(property)).as(name).isFalse();
            assertThat(PropertyNames.decode(property)).as(name).isEqualTo(name);
        }
    }

    @Test
    void aDollarWithoutFourUpperCaseHexDigitsIsTakenAsItIs() {
        assertThat(PropertyNames.decode("price$usd")).isEqualTo("price$usd");
        assertThat(PropertyNames.decode("a$12")).isEqualTo("a$12");
        assertThat(PropertyNames.decode("a$002d")).isEqualTo("a$002d");
    }
}
