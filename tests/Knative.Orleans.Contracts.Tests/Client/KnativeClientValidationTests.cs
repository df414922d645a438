using System.Reflection;
using Knative.Orleans.Contracts.Client;
using Knative.Orleans.Contracts.Serving;
using static Knative.Orleans.Contracts.Tests.Serving.TestServices;

namespace Knative.Orleans.Contracts.Tests.Client;

public sealed class KnativeClientValidationTests
{
    // Refused manifests must never reach a grain: this factory fails the test if one is requested.
    private readonly KnativeClient _client = new(DispatchProxy.Create<IGrainFactory, NoGrainsProxy>());

    [Fact]
    public async Task An_invalid_service_is_refused_with_knatives_message()
    {
        var result = await _client.ApplyServiceAsync("default", Valid.WithSpec(s => s with { TimeoutSeconds = 601 }), ApplyMode.Create);

        Assert.Equal(ApplyOutcome.Invalid, result.Outcome);
        Assert.Equal("validation failed: expected 0 <= 601 <= 600: spec.template.spec.timeoutSeconds", result.Message);
    }

    [Fact]
    public async Task A_service_with_only_generate_name_is_refused_until_names_are_generated()
    {
        var result = await _client.ApplyServiceAsync("default", Valid.WithMeta(new() { GenerateName = "svc-" }), ApplyMode.Create);

        Assert.Equal(ApplyOutcome.Invalid, result.Outcome);
        Assert.Equal("validation failed: generateName is not supported yet, set metadata.name: metadata.generateName", result.Message);
    }

    public class NoGrainsProxy : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            throw new InvalidOperationException("unexpected grain call: " + targetMethod?.Name);
    }
}
