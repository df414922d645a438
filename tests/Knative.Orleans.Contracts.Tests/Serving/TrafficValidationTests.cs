using Knative.Orleans.Contracts.Serving;
using static Knative.Orleans.Contracts.Tests.Serving.TestServices;

namespace Knative.Orleans.Contracts.Tests.Serving;

public sealed class TrafficValidationTests
{
    public static TheoryData<string, TrafficTarget[], string> Cases => new()
    {
        { "sum below 100", [new() { RevisionName = "svc-00001", Percent = 90 }], "Traffic targets sum to 90, want 100: spec.traffic" },
        {
            "sum above 100", [new() { RevisionName = "svc-00001", Percent = 60 }, new() { LatestRevision = true, Percent = 60 }],
            "Traffic targets sum to 120, want 100: spec.traffic"
        },
        { "only tags", [new() { Tag = "a", RevisionName = "svc-00001" }], "Traffic targets sum to 0, want 100: spec.traffic" },
        {
            "percent above 100", [new() { RevisionName = "svc-00001", Percent = 120 }],
            "Traffic targets sum to 120, want 100: spec.traffic\nexpected 0 <= 120 <= 100: spec.traffic[0].percent"
        },
        {
            "negative percent", [new() { RevisionName = "svc-00001", Percent = -10 }, new() { LatestRevision = true, Percent = 110 }],
            "expected 0 <= -10 <= 100: spec.traffic[0].percent\nexpected 0 <= 110 <= 100: spec.traffic[1].percent"
        },
        {
            "tag not a label", [new() { Tag = "Current", LatestRevision = true, Percent = 100 }],
            $"invalid value: not a DNS 1035 label: [{Dns1035Details}]: spec.traffic.tag[0]"
        },
        {
            "duplicate tag", [new() { Tag = "t", RevisionName = "svc-00001", Percent = 50 }, new() { Tag = "t", LatestRevision = true, Percent = 50 }],
            "Multiple definitions for \"t\": spec.traffic[0].tag, spec.traffic[1].tag"
        },
        {
            "tag used three times",
            [new() { Tag = "t", Percent = 100 }, new() { Tag = "t", RevisionName = "svc-00001" }, new() { Tag = "t", RevisionName = "svc-00002" }],
            "Multiple definitions for \"t\": spec.traffic[0].tag, spec.traffic[1].tag, spec.traffic[2].tag"
        },
        {
            "latestRevision with a revision", [new() { RevisionName = "svc-00001", LatestRevision = true, Percent = 100 }],
            "may not set revisionName \"svc-00001\" when latestRevision is true: spec.traffic[0].latestRevision"
        },
        {
            "pinned without a revision", [new() { LatestRevision = false, Percent = 100 }],
            "may not set revisionName \"\" when latestRevision is false: spec.traffic[0].latestRevision"
        },
        { "configurationName in a service", [new() { ConfigurationName = "svc", Percent = 100 }], "must not set the field(s): spec.traffic[0].configurationName" },
        { "url in the spec", [new() { Tag = "a", Url = "http://a-svc.default.example.com", Percent = 100 }], "must not set the field(s): spec.traffic[0].url" },
        { "url without a tag", [new() { Url = "http://svc.default.example.com", Percent = 100 }], "must not set the field(s): spec.traffic[0].url" },
        {
            "revision name not a qualified name", [new() { RevisionName = "-bad", Percent = 100 }],
            "invalid key name \"-bad\": spec.traffic[0].revisionName\nname part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Traffic_rules(string rule, TrafficTarget[] traffic, string expected) =>
        Assert.True(expected == ServiceValidation.Validate(Valid.WithTraffic(traffic), localProcessRuntime: false).ToString(),
            rule + ": " + ServiceValidation.Validate(Valid.WithTraffic(traffic), localProcessRuntime: false));

    public static TheoryData<string, TrafficTarget[]> ValidTraffic => new()
    {
        { "empty means latest", [] },
        { "latest", [new() { LatestRevision = true, Percent = 100 }] },
        { "latest implied", [new() { Percent = 100 }] },
        { "split", [new() { RevisionName = "svc-00001", Percent = 30 }, new() { LatestRevision = true, Percent = 70 }] },
        {
            "tag-only targets (nil percent is 0)",
            [new() { Tag = "current", RevisionName = "svc-00001", Percent = 100 }, new() { Tag = "latest", LatestRevision = true }]
        },
        { "pinned revision", [new() { RevisionName = "svc-00001", LatestRevision = false, Percent = 100 }] },
        { "zero percent", [new() { LatestRevision = true, Percent = 100 }, new() { RevisionName = "svc-00001", Percent = 0 }] },
    };

    [Theory]
    [MemberData(nameof(ValidTraffic))]
    public void Valid_traffic_has_no_error(string rule, TrafficTarget[] traffic) =>
        Assert.True(ServiceValidation.Validate(Valid.WithTraffic(traffic), localProcessRuntime: false).IsEmpty, rule + ": " + ServiceValidation.Validate(Valid.WithTraffic(traffic), localProcessRuntime: false));

    [Fact]
    public void Outside_a_service_a_target_names_a_revision_or_a_configuration()
    {
        Assert.Equal(
            "expected exactly one, got neither: [0].configurationName, [0].revisionName",
            TrafficValidation.Validate([new TrafficTarget { Percent = 100 }], inService: false).ToString());
        Assert.Equal(
            "expected exactly one, got both: [0].configurationName, [0].revisionName",
            TrafficValidation.Validate([new TrafficTarget { RevisionName = "r", ConfigurationName = "c", Percent = 100, LatestRevision = false }], inService: false).ToString());
        Assert.True(TrafficValidation.Validate([new TrafficTarget { ConfigurationName = "c", Percent = 100 }], inService: false).IsEmpty);
    }
}
