package io.enareceiver.resource;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.enareceiver.resource.ImdsException.Reason;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Reads the instance identity from IMDS and checks every value against the shape EC2 gives it.
 * Anything else is refused with an {@link ImdsException} that names the path and what was
 * expected: a wrong identity on every metric is worse than none.
 */
public final class IdentityFetcher {
  static final String DOCUMENT_PATH = "/latest/dynamic/instance-identity/document";
  static final String HOSTNAME_PATH = "/latest/meta-data/local-hostname";
  static final String MACS_PATH = "/latest/meta-data/network/interfaces/macs/";

  /** EC2 allows at most a few dozen ENIs; a longer list is not a MAC list. */
  private static final int MAX_MACS = 128;

  private static final Pattern INSTANCE_ID = Pattern.compile("i-[0-9a-f]{8,32}");
  private static final Pattern INSTANCE_TYPE = Pattern.compile("[a-z0-9][a-z0-9-]{0,40}\\.[a-z0-9-]{1,40}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");
  private static final Pattern ZONE_SUFFIX = Pattern.compile("[a-z0-9-]{1,40}");
  private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");
  private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
  private static final Pattern ENI_ID = Pattern.compile("eni-[0-9a-f]{8,32}");
  private static final Pattern DEVICE_NUMBER = Pattern.compile("[0-9]{1,4}");
  private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})");

  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(4096).build())
      .build();

  private final ImdsClient client;

  public IdentityFetcher(ImdsClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /** Fetches and validates the whole identity, or fails; gives up when {@code deadline} has passed. */
  public InstanceIdentity fetch(Duration deadline) throws ImdsException {
    long deadlineNanos = System.nanoTime() + deadline.toNanos();
    Map<String, String> doc = parseDocument(client.get(DOCUMENT_PATH, deadlineNanos));

    String instanceId = require(doc, "instanceId", INSTANCE_ID, "an instance id such as i-0123456789abcdef0");
    String instanceType = require(doc, "instanceType", INSTANCE_TYPE, "an instance type such as m6i.large");
    String region = require(doc, "region", REGION, "a region such as us-east-1");
    String zone = require(doc, "availabilityZone", null, "an availability zone such as " + region + "a");
    if (!zone.startsWith(region) || !ZONE_SUFFIX.matcher(zone.substring(region.length())).matches()) {
      throw bad(DOCUMENT_PATH, "availabilityZone", "an availability zone of region " + region
          + " such as " + region + "a", zone);
    }
    String accountId = require(doc, "accountId", ACCOUNT_ID, "a 12-digit account id");

    String hostname = fetchHostname(deadlineNanos);
    Map<String, EniInfo> enis = fetchEnis(deadlineNanos);
    return new InstanceIdentity(instanceId, instanceType, hostname, region, zone, accountId, enis);
  }

  private String fetchHostname(long deadlineNanos) throws ImdsException {
    String answer;
    try {
      answer = client.get(HOSTNAME_PATH, deadlineNanos);
    } catch (ImdsException e) {
      if (e.reason() == Reason.HTTP_STATUS && e.status() == 404) {
        return null; // Instances in a VPC without DNS hostnames have none; host.name falls back.
      }
      throw e;
    }
    // With custom DHCP options the answer can list several names; the first is the instance's own.
    String first = answer.strip().split("\\s+", 2)[0];
    if (!HOSTNAME.matcher(first).matches()) {
      throw new ImdsException(Reason.BAD_ANSWER, HOSTNAME_PATH, "IMDS " + HOSTNAME_PATH
          + ": expected a DNS host name such as ip-10-0-0-1.ec2.internal, got " + ImdsClient.describe(answer));
    }
    return first;
  }

  private Map<String, EniInfo> fetchEnis(long deadlineNanos) throws ImdsException {
    String listing = client.get(MACS_PATH, deadlineNanos);
    Map<String, EniInfo> enis = new LinkedHashMap<>();
    for (String line : listing.split("\n")) {
      String entry = line.strip();
      if (entry.isEmpty()) {
        continue;
      }
      String mac = (entry.endsWith("/") ? entry.substring(0, entry.length() - 1) : entry).toLowerCase(Locale.ROOT);
      if (!MAC.matcher(mac).matches()) {
        throw new ImdsException(Reason.BAD_ANSWER, MACS_PATH, "IMDS " + MACS_PATH
            + ": expected one MAC address such as 0e:1a:2b:3c:4d:5e/ per line, got " + ImdsClient.describe(entry));
      }
      if (enis.size() == MAX_MACS) {
        throw new ImdsException(Reason.BAD_ANSWER, MACS_PATH,
            "IMDS " + MACS_PATH + ": more than " + MAX_MACS + " MAC addresses; not an ENI list");
      }
      String base = MACS_PATH + mac + "/";
      String eniId = client.get(base + "interface-id", deadlineNanos).strip();
      if (!ENI_ID.matcher(eniId).matches()) {
        throw new ImdsException(Reason.BAD_ANSWER, base + "interface-id", "IMDS " + base
            + "interface-id: expected an ENI id such as eni-0123456789abcdef0, got " + ImdsClient.describe(eniId));
      }
      String device = client.get(base + "device-number", deadlineNanos).strip();
      if (!DEVICE_NUMBER.matcher(device).matches()) {
        throw new ImdsException(Reason.BAD_ANSWER, base + "device-number", "IMDS " + base
            + "device-number: expected a device index (a non-negative integer), got " + ImdsClient.describe(device));
      }
      enis.put(mac, new EniInfo(eniId, Integer.parseInt(device)));
    }
    if (enis.isEmpty()) {
      throw new ImdsException(Reason.BAD_ANSWER, MACS_PATH,
          "IMDS " + MACS_PATH + ": expected at least one MAC address, got " + ImdsClient.describe(listing));
    }
    return enis;
  }

  /** The top-level string members of the identity document; nested values are skipped. */
  static Map<String, String> parseDocument(String body) throws ImdsException {
    Map<String, String> fields = new HashMap<>();
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new ImdsException(Reason.BAD_ANSWER, DOCUMENT_PATH, "IMDS " + DOCUMENT_PATH
            + ": expected a JSON object, got " + ImdsClient.describe(body));
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (value == JsonToken.VALUE_STRING) {
          fields.put(name, parser.getText());
        } else {
          parser.skipChildren(); // arrays, objects, numbers, nulls: not used here
        }
      }
      if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw new ImdsException(Reason.BAD_ANSWER, DOCUMENT_PATH,
            "IMDS " + DOCUMENT_PATH + ": expected one JSON object and nothing after it");
      }
    } catch (JsonProcessingException e) {
      throw new ImdsException(Reason.BAD_ANSWER, DOCUMENT_PATH, 0, "IMDS " + DOCUMENT_PATH
          + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
    } catch (IOException e) {
      throw new ImdsException(Reason.BAD_ANSWER, DOCUMENT_PATH, 0,
          "IMDS " + DOCUMENT_PATH + ": unreadable (" + e.getMessage() + ")", e);
    }
    return fields;
  }

  private static String require(Map<String, String> doc, String key, Pattern shape, String expected)
      throws ImdsException {
    String value = doc.get(key);
    if (value == null) {
      throw new ImdsException(Reason.BAD_ANSWER, DOCUMENT_PATH,
          "IMDS " + DOCUMENT_PATH + ": field '" + key + "' is missing; expected " + expected);
    }
    if (shape != null && !shape.matcher(value).matches()) {
      throw bad(DOCUMENT_PATH, key, expected, value);
    }
    return value;
  }

  private static ImdsException bad(String path, String key, String expected, String got) {
    return new ImdsException(Reason.BAD_ANSWER, path,
        "IMDS " + path + ": field '" + key + "' should be " + expected + ", got " + ImdsClient.describe(got));
  }
}
