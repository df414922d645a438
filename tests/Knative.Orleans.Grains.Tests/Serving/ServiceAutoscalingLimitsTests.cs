using Knative.Orleans.Contracts.Client;
using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Grains.Tests.Serving;

/// <summary>
/// The cluster-dependent autoscaling checks belong to the silo: <see cref="KnativeClient"/> checks ahead with permissive
/// limits, and the service grain decides with the silo's <c>AutoscalerConfig</c>.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ServiceAutoscalingLimitsTests(ClusterFixture fx)
{
    private readonly KnativeClient _client = new(fx.Client);

    [Fact]
    public async Task Zero_initial_scale_passes_the_client_and_is_refused_by_the_grain_with_the_default_config()
    {
        Assert.False(fx.Autoscaler.AllowZeroInitialScale);
        var service = ServiceGrainTests.Hello("zeroinit");
        service = service with
        {
            Spec = service.Spec! with
            {
                Template = service.Spec.Template! with
                {
                    Metadata = new ObjectMeta { Annotations = new() { [AutoscalingAnnotations.InitialScale] = "0" } },
                },
            },
        };

        // What the client checks before calling the grain: nothing a cluster may allow is refused.
        Assert.True(ServiceValidation.Validate(service with { Metadata = service.Metadata! with { Namespace = "grains" } },
            localProcessRuntime: true, AutoscalingLimits.Permissive).IsEmpty);

        var result = await _client.ApplyServiceAsync("grains", service, ApplyMode.Create);

        Assert.Equal(ApplyOutcome.Invalid, result.Outcome);
        Assert.Equal(
            "validation failed: invalid value: 0: spec.template.metadata.annotations.autoscaling.knative.dev/initial-scale=0 not allowed by cluster",
            result.Message);
        // The client indexes the name only once its own checks pass, right before calling the grain: the grain refused it.
        Assert.Contains("zeroinit", await fx.Client.GetGrain<IResourceIndexGrain>(KnativeClient.ServicesIndex + "/grains").ListAsync());
        Assert.Null(await _client.GetServiceAsync("grains", "zeroinit"));
        Assert.DoesNotContain(await _client.ListServicesAsync("grains"), s => s.Metadata?.Name == "zeroinit");
    }
}
