package realty.bench;

import java.lang.management.ManagementFactory;

/** The cold-start baseline: a JVM that does nothing but report when its main method ran. JDK only. */
public final class BareJvmMain {
    private BareJvmMain() {
    }

    public static void main(String[] args) {
        long mainAt = System.currentTimeMillis();
        System.out.println("COLDSTART {\"jvmStart\":" + ManagementFactory.getRuntimeMXBean().getStartTime() + ",\"main\":" + mainAt + "}");
        System.out.flush();
    }
}
