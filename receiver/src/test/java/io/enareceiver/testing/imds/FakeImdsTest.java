package io.enareceiver.testing.imds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fake must behave like IMDSv2 itself, or the client tests prove nothing. */
class FakeImdsTest {
  private final FakeImds imds = FakeImds.start(FakeImds.Instance.sample());
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    imds.close();
    http.close();
  }

  private HttpResponse<String> send(String method, String path, String header, String value) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(imds.endpoint().resolve(path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (header != null) {
      b.header(header, value);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String token(int ttl) throws Exception {
    HttpResponse<String> r = send("PUT", FakeImds.TOKEN_PATH, FakeImds.TTL_HEADER, Integer.toString(ttl));
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  @Test
  void metadataNeedsAToken() throws Exception {
    assertThat(send("GET", "/latest/meta-data/instance-id", null, null).statusCode()).isEqualTo(401);
    assertThat(send("GET", "/latest/meta-data/instance-id", FakeImds.TOKEN_HEADER, "made-up").statusCode()).isEqualTo(401);
    HttpResponse<String> ok = send("GET", "/latest/meta-data/instance-id", FakeImds.TOKEN_HEADER, token(60));
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("i-0123456789abcdef0");
  }

  @Test
  void tokenTtlMustBeBetweenOneSecondAndSixHours() throws Exception {
    for (String bad : List.of("0", "21601", "-5", "abc")) {
      assertThat(send("PUT", FakeImds.TOKEN_PATH, FakeImds.TTL_HEADER, bad).statusCode()).as(bad).isEqualTo(400);
    }
    assertThat(send("PUT", FakeImds.TOKEN_PATH, null, null).statusCode()).isEqualTo(400);
    assertThat(send("PUT", FakeImds.TOKEN_PATH, FakeImds.TTL_HEADER, "21600").statusCode()).isEqualTo(200);
    assertThat(send("PUT", FakeImds.TOKEN_PATH, FakeImds.TTL_HEADER, "1").statusCode()).isEqualTo(200);
  }

  @Test
  void expiredTokensAreRefused() throws Exception {
    String token = token(60);
    imds.expireAllTokens();
    assertThat(send("GET", "/latest/meta-data/instance-id", FakeImds.TOKEN_HEADER, token).statusCode()).isEqualTo(401);
  }

  @Test
  void refusesForwardedRequestsLikeEc2() throws Exception {
    HttpRequest put = HttpRequest.newBuilder(imds.endpoint().resolve(FakeImds.TOKEN_PATH))
        .header(FakeImds.TTL_HEADER, "60").header("X-Forwarded-For", "10.0.0.9")
        .PUT(HttpRequest.BodyPublishers.noBody()).build();
    assertThat(http.send(put, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
  }

  @Test
  void servesEnisAtTheRealPaths() throws Exception {
    String t = token(60);
    assertThat(send("GET", FakeImds.MACS_PATH, FakeImds.TOKEN_HEADER, t).body())
        .isEqualTo("0e:aa:bb:cc:dd:01/\n0e:aa:bb:cc:dd:02/");
    assertThat(send("GET", FakeImds.MACS_PATH + "0e:aa:bb:cc:dd:02/interface-id", FakeImds.TOKEN_HEADER, t).body())
        .isEqualTo("eni-0bbbbbbbbbbbbbbb2");
    assertThat(send("GET", FakeImds.MACS_PATH + "0e:aa:bb:cc:dd:02/device-number", FakeImds.TOKEN_HEADER, t).body())
        .isEqualTo("1");
    assertThat(send("GET", "/latest/meta-data/nope", FakeImds.TOKEN_HEADER, t).statusCode()).isEqualTo(404);
    assertThat(imds.count(FakeImds.MACS_PATH)).isEqualTo(1);
  }

  @Test
  void downRefusesConnectionsAndUpServesAgainOnTheSamePort() throws Exception {
    imds.down();
    assertThatThrownBy(() -> token(60)).isInstanceOf(ConnectException.class);
    imds.up();
    assertThat(token(60)).startsWith("AQAE");
  }

  @Test
  void readsAnInstanceDescription(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("instance.json");
    Files.writeString(file, """
        {"instanceId": "i-0fedcba9876543210", "instanceType": "c7g.xlarge", "region": "eu-west-1",
         "availabilityZone": "eu-west-1b", "accountId": "210987654321", "hostname": null,
         "enis": [{"mac": "02:00:00:00:00:0a", "eniId": "eni-0cccccccccccccccc", "deviceNumber": 0}]}
        """);
    FakeImds.Instance i = FakeImds.readInstance(file);
    assertThat(i.instanceType()).isEqualTo("c7g.xlarge");
    assertThat(i.hostname()).isNull();
    assertThat(i.enis()).containsExactly(new FakeImds.Eni("02:00:00:00:00:0a", "eni-0cccccccccccccccc", 0));

    Files.writeString(file, "{\"instanceID\": \"i-1\"}");
    assertThatThrownBy(() -> FakeImds.readInstance(file)).hasMessageContaining("unknown field 'instanceID'");
  }
}
