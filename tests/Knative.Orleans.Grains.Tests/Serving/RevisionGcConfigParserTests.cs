using Knative.Orleans.Grains.Serving;

namespace Knative.Orleans.Grains.Tests.Serving;

/// <summary><c>Gc:*</c> read with Knative's config-gc rules (knative/serving pkg/gc/config.go).</summary>
public sealed class RevisionGcConfigParserTests
{
    private static (RevisionGcConfig Config, IReadOnlyList<string> Errors) Parse(params (string Key, string Value)[] values) =>
        RevisionGcConfigParser.Parse(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value)));

    [Fact]
    public void Defaults_are_knatives()
    {
        var (config, errors) = Parse();
        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromHours(48), config.RetainSinceCreateTime);
        Assert.Equal(TimeSpan.FromHours(15), config.RetainSinceLastActiveTime);
        Assert.Equal(20, config.MinNonActiveRevisions);
        Assert.Equal(1000, config.MaxNonActiveRevisions);
    }

    [Fact]
    public void Values_and_disabled_are_read()
    {
        var (config, errors) = Parse(
            ("retain-since-create-time", "Disabled"), ("retain-since-last-active-time", "1h30m"),
            ("min-non-active-revisions", "0"), ("max-non-active-revisions", "disabled"));
        Assert.Empty(errors);
        Assert.Null(config.RetainSinceCreateTime);
        Assert.Equal(TimeSpan.FromMinutes(90), config.RetainSinceLastActiveTime);
        Assert.Equal(0, config.MinNonActiveRevisions);
        Assert.Null(config.MaxNonActiveRevisions);
        Assert.False(config.Disabled);
    }

    [Fact]
    public void Empty_values_keep_the_defaults()
    {
        var (config, errors) = Parse(("retain-since-create-time", ""), ("max-non-active-revisions", ""));
        Assert.Empty(errors);
        Assert.Equal(RevisionGcConfig.Default, config);
    }

    public static TheoryData<(string, string)[], string[]> Invalid => new()
    {
        { [("retain-since-create-time", "2 days")], ["Gc:retain-since-create-time = 2 days, must be a duration (e.g. 48h, 15h30m) or \"disabled\""] },
        { [("retain-since-last-active-time", "-1h")], ["Gc:retain-since-last-active-time = -1h, must be non-negative"] },
        { [("min-non-active-revisions", "-1")], ["Gc:min-non-active-revisions must be non-negative, was: -1"] },
        { [("min-non-active-revisions", "disabled")], ["Gc:min-non-active-revisions = disabled, must be an integer"] },
        { [("max-non-active-revisions", "-1")], ["Gc:max-non-active-revisions = -1, must be a non-negative integer or \"disabled\""] },
        { [("min-non-active-revisions", "5"), ("max-non-active-revisions", "4")], ["Gc:min-non-active-revisions(5) must be <= max-non-active-revisions(4)"] },
        { [("stale-revision-create-delay", "24h")], ["Gc:stale-revision-create-delay is not a config-gc key (known keys: max-non-active-revisions, min-non-active-revisions, retain-since-create-time, retain-since-last-active-time)"] },
        {
            [("retain-since-create-time", "x"), ("max-non-active-revisions", "y")],
            ["Gc:retain-since-create-time = x, must be a duration (e.g. 48h, 15h30m) or \"disabled\"", "Gc:max-non-active-revisions = y, must be a non-negative integer or \"disabled\""]
        },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_values_are_all_reported(IEnumerable<(string, string)> values, string[] expected) =>
        Assert.Equal(expected, Parse([.. values]).Errors);
}
