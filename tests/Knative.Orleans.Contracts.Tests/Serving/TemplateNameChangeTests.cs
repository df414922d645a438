using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Contracts.Tests.Serving;

/// <summary>knative/serving RevisionTemplateSpec.VerifyNameChange with kmp.ShortDiff's rendering.</summary>
public sealed class TemplateNameChangeTests
{
    private static RevisionTemplateSpec Template(string? name, string image, long? timeout = null, Dictionary<string, string>? labels = null) =>
        new()
        {
            Metadata = new ObjectMeta { Name = name, Labels = labels },
            Spec = ServiceDefaults.WithDefaults(new RevisionSpec { Containers = [new Container { Image = image }], TimeoutSeconds = timeout }),
        };

    public static TheoryData<string, RevisionTemplateSpec, RevisionTemplateSpec, string> Cases => new()
    {
        { "no BYO name: anything may change", Template(null, "a"), Template(null, "b"), "" },
        { "renamed with the change", Template("s-1", "a"), Template("s-2", "b"), "" },
        { "same name, same template", Template("s-1", "a"), Template("s-1", "a"), "" },
        {
            "image changed without a rename", Template("s-1", "a"), Template("s-1", "b"),
            "Saw the following changes without a name change (-old +new): metadata.name\n"
            + "{*v1.RevisionTemplateSpec}.Spec.PodSpec.Containers[0].Image:\n\t-: \"a\"\n\t+: \"b\""
        },
        {
            "two leaves, one of them new", Template("s-1", "a"), Template("s-1", "a", 30, new() { ["x"] = "y" }),
            "Saw the following changes without a name change (-old +new): metadata.name\n"
            + "{*v1.RevisionTemplateSpec}.Metadata.Labels[\"x\"]:\n\t-: \"\"\n\t+: \"y\"\n"
            + "{*v1.RevisionTemplateSpec}.Spec.TimeoutSeconds:\n\t-: \"300\"\n\t+: \"30\""
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Verify(string name, RevisionTemplateSpec old, RevisionTemplateSpec current, string want) =>
        Assert.True(want == TemplateNameChange.Verify(old, current).ToString(), name + ": " + TemplateNameChange.Verify(old, current));
}
