package io.enareceiver.cli;

/** Entry point of {@code java -jar ena-receiver.jar}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("ena-receiver: under construction");
  }
}
