using Knative.Orleans.Grains.Eventing.Filters.Cesql;

namespace Knative.Orleans.Grains.Tests.Eventing.Cesql;

/// <summary>One TCK test case; <see cref="Id"/> (suite / name) is the theory argument.</summary>
internal sealed record TckCase(
    string File,
    string Suite,
    string Name,
    string Expression,
    CesqlValue? Result,
    CesqlErrorKind? Error,
    CesqlEvent Event)
{
    public string Id => $"{Suite} / {Name}";
}
