package realty.runtimecheck;

import realty.runtimecheck.harness.DeploymentSource;

/** The functions as template.yaml (SAM) deploys them. */
class SamFunctionsTest extends DeployedFunctionsTest {
    @Override
    DeploymentSource source() {
        return DeploymentSource.SAM;
    }
}
