package io.enareceiver.testing.otlp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed RSA certificate for {@code localhost} / {@code 127.0.0.1}, made at test time with
 * the JDK's {@code keytool} (the JDK has no public API to sign certificates) and written as PEM
 * files the way users hand them to an exporter or a collector.
 *
 * <p>The same identity can serve as server certificate, as CA the client trusts, and as client
 * certificate for mutual TLS: it is its own issuer.
 */
public final class TestCertificate {

  private static final char[] PASSWORD = "test-only".toCharArray();

  private final Path certificatePem;
  private final Path privateKeyPem;
  private final KeyStore keyStore;

  private TestCertificate(Path certificatePem, Path privateKeyPem, KeyStore keyStore) {
    this.certificatePem = certificatePem;
    this.privateKeyPem = privateKeyPem;
    this.keyStore = keyStore;
  }

  /** Generates a fresh key pair and certificate (valid two days) into {@code dir}. */
  public static TestCertificate generate(Path dir) throws IOException, GeneralSecurityException {
    Path p12 = dir.resolve("test-identity.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command =
        List.of(
            keytool.toString(), "-genkeypair", "-alias", "test", "-keyalg", "RSA", "-keysize", "2048",
            "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
            "-validity", "2", "-storetype", "PKCS12", "-keystore", p12.toString(),
            "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD), "-noprompt");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IOException("keytool failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for keytool", e);
    }

    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      ks.load(in, PASSWORD);
    }
    Certificate cert = ks.getCertificate("test");
    PrivateKey key = (PrivateKey) ks.getKey("test", PASSWORD); // getEncoded() is PKCS#8
    Path certPem = dir.resolve("test-cert.pem");
    Path keyPem = dir.resolve("test-key.pem");
    Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
    Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
    return new TestCertificate(certPem, keyPem, ks);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  /** PEM certificate: trust it on the client, or present it as client certificate. */
  public Path certificatePem() {
    return certificatePem;
  }

  /** PEM PKCS#8 private key of {@link #certificatePem()}. */
  public Path privateKeyPem() {
    return privateKeyPem;
  }

  /** A TLS context presenting this certificate and trusting only it (for client certificates). */
  public SSLContext sslContext() throws GeneralSecurityException {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keyStore, PASSWORD);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    try {
      trust.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    trust.setCertificateEntry("test", keyStore.getCertificate("test"));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }
}
