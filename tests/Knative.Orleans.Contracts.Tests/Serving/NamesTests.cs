using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Contracts.Tests.Serving;

public sealed class NamesTests
{
    [Theory]
    [InlineData("hello", 1, "hello-00001")]
    [InlineData("hello", 42, "hello-00042")]
    [InlineData("hello", 99999, "hello-99999")]
    [InlineData("hello", 123456, "hello-123456")]
    public void Revision_names_pad_the_generation_to_five_digits(string config, long generation, string expected) =>
        Assert.Equal(expected, Names.RevisionName(config, generation));

    [Fact]
    public void A_57_character_config_name_is_kept()
    {
        var config = new string('c', 57);

        var name = Names.RevisionName(config, 1);

        Assert.Equal(config + "-00001", name);
        Assert.Equal(63, name.Length);
    }

    [Theory]
    // Expected values computed independently: name[:25] + md5(name) + suffix (python hashlib).
    [InlineData("a-service-name-that-is-exactly-fifty-eight-characters-long", 1, "a-service-name-that-is-ex0c45b9ac66351f1c13bd5165fa176355-00001")]
    [InlineData("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 1, "xxxxxxxxxxxxxxxxxxxxxxxxxe7a07c25a31348c37fba19f4e1d9825b-00001")]
    // A six-digit generation leaves room for only 24 characters of the name.
    [InlineData("a-service-name-that-is-exactly-fifty-eight-characters-long", 100000, "a-service-name-that-is-e0c45b9ac66351f1c13bd5165fa176355-100000")]
    public void Longer_config_names_are_shortened_with_their_md5(string config, long generation, string expected)
    {
        var name = Names.RevisionName(config, generation);

        Assert.Equal(expected, name);
        Assert.True(name.Length <= 63);
        Assert.True(Names.IsDns1035Label(name));
    }

    [Theory]
    [InlineData(6, "^p{6}-s{40}$")] // fits: kept as is
    [InlineData(40, "^p{31}[0-9a-f]{32}$")] // the hash of parent + suffix fills the rest
    [InlineData(25, "^p{25}[0-9a-f]{32}-s{5}$")] // padded with the start of the suffix
    public void Child_names_with_a_very_long_suffix_hash_both_parts(int parentLength, string pattern)
    {
        var name = Names.ChildName(new string('p', parentLength), "-" + new string('s', 40));

        Assert.Matches(pattern, name);
        Assert.True(name.Length <= 63);
    }

    [Fact]
    public void Negative_generations_are_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Names.RevisionName("hello", -1));

    [Theory]
    [InlineData("a", true)]
    [InlineData("hello-world", true)]
    [InlineData("abc-123", true)]
    [InlineData("1abc", false)]
    [InlineData("Hello", false)]
    [InlineData("hello-", false)]
    [InlineData("-hello", false)]
    [InlineData("hello_world", false)]
    [InlineData("hello.world", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Dns_1035_labels(string? value, bool expected) => Assert.Equal(expected, Names.IsDns1035Label(value));

    [Theory]
    [InlineData(63, true)]
    [InlineData(64, false)]
    public void Labels_have_at_most_63_characters(int length, bool expected)
    {
        Assert.Equal(expected, Names.IsDns1035Label(new string('a', length)));
        Assert.Equal(expected, Names.IsDns1123Label(new string('1', length)));
    }

    [Theory]
    [InlineData("default", true)]
    [InlineData("1st-team", true)]
    [InlineData("0", true)]
    [InlineData("Default", false)]
    [InlineData("team-", false)]
    [InlineData("a.b", false)]
    [InlineData("", false)]
    public void Dns_1123_labels(string value, bool expected) => Assert.Equal(expected, Names.IsDns1123Label(value));
}
