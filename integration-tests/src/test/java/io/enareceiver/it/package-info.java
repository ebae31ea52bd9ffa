/** Tests of the built jar and of deploy/; end to end through a real collector in profile e2e. */
package io.enareceiver.it;
