#!/usr/bin/env bash
# What a new user does, checked: a project outside the tree imports the BOM (the README's Install
# snippet), depends on mq-api and mq-inmemory without versions, compiles the README's usage and runs
# it against mem:. The artifacts are deployed to a throw-away file repository and resolved into a
# throw-away local repository, so ~/.m2 never receives half-built io.anymq artifacts (everything
# else is read from ~/.m2/repository, filled by an earlier build, as a file mirror: no network).
# Usage: scripts/check-sample-project.sh   (after a build of the tree, e.g. ./mvnw verify)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
m2="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}"

# verify, then the deploy goal alone: the deploy *phase* would run install first and write the
# artifacts into ~/.m2 (the goal leaves only the resolver's metadata of the staging repository there)
./mvnw -B -ntp -q -pl mq-bom,mq-api,mq-inmemory -am -DskipTests \
  verify org.apache.maven.plugins:maven-deploy-plugin:3.1.3:deploy \
  -DaltDeploymentRepository="staging::file://$work/staging"

mkdir -p "$work/sample/src/main/java/demo"
cat > "$work/settings.xml" <<XML
<settings>
  <localRepository>$work/m2</localRepository>
  <mirrors><mirror><id>machine</id><mirrorOf>central</mirrorOf><url>file://$m2</url></mirror></mirrors>
  <profiles><profile><id>staging</id>
    <repositories><repository><id>staging</id><url>file://$work/staging</url></repository></repositories>
  </profile></profiles>
  <activeProfiles><activeProfile>staging</activeProfile></activeProfiles>
</settings>
XML
cat > "$work/sample/pom.xml" <<'XML'
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>demo</groupId><artifactId>sample</artifactId><version>1</version>
  <dependencyManagement>
    <dependencies>
      <dependency><groupId>io.anymq</groupId><artifactId>mq-bom</artifactId><version>0.1.0</version><type>pom</type><scope>import</scope></dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency><groupId>io.anymq</groupId><artifactId>mq-api</artifactId></dependency>
    <dependency><groupId>io.anymq</groupId><artifactId>mq-inmemory</artifactId><scope>runtime</scope></dependency>
  </dependencies>
</project>
XML
cat > "$work/sample/src/main/java/demo/Main.java" <<'JAVA'
package demo;

import io.anymq.*;
import java.time.Duration;

public class Main {
    public static void main(String[] args) {
        try (MessagingClient client = Messaging.connect("mem:");
             Producer producer = client.producer("orders");
             Consumer consumer = client.consumer(ConsumerOptions.builder("orders", "billing")
                     .startPosition(StartPosition.EARLIEST).ackTimeout(Duration.ofSeconds(30))
                     .maxDeliveries(5).deadLetterTopic("orders-dlq").build())) {
            producer.send(Message.builder().payload("42 EUR").key("customer-7").header("trace", "a1").build()).join();
            Delivery d = consumer.receive(Duration.ofSeconds(5)).orElseThrow();
            if (!d.message().payloadAsString().equals("42 EUR") || !"a1".equals(d.message().headers().get("trace"))) {
                throw new AssertionError("received " + d.message());
            }
            d.ack().join();
        }
        try {
            Messaging.connect("mem:?capacty=5").close();
            throw new AssertionError("a misspelled option was accepted");
        } catch (ConfigurationException expected) {
            // named, with the known options
        }
        System.out.println("sample project: OK");
    }
}
JAVA
(cd "$work/sample" && "$root/mvnw" -B -ntp -q -s "$work/settings.xml" \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -Dmdep.outputFile=cp.txt)
cp="$(cat "$work/sample/cp.txt")"
javac -d "$work/sample/out" -cp "$cp" "$work/sample/src/main/java/demo/Main.java"
java -cp "$work/sample/out:$cp" demo.Main
