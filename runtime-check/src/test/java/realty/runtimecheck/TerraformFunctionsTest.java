package realty.runtimecheck;

import realty.runtimecheck.harness.DeploymentSource;

/** The functions as infra/modules/functions (Terraform) deploys them. */
class TerraformFunctionsTest extends DeployedFunctionsTest {
    @Override
    DeploymentSource source() {
        return DeploymentSource.TERRAFORM;
    }
}
