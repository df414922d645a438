using System.Text;
using Knative.Orleans.Contracts.Eventing;

namespace Knative.Orleans.Contracts.Tests.Eventing;

public sealed class OutgoingHttpEventTests
{
    private static OutgoingHttpEvent Event(string? contentType, IReadOnlyDictionary<string, string>? passThrough = null, string id = "e1") =>
        new([], contentType, [KeyValuePair.Create("ce-specversion", "1.0"), KeyValuePair.Create("ce-id", id)],
            passThrough ?? new Dictionary<string, string>());

    [Fact]
    public void Header_lines_are_content_type_then_ce_headers_then_pass_through_written_once()
    {
        var http = Event("text/plain", new Dictionary<string, string> { ["knative-x"] = "kx" });
        var lines = http.HeaderLines;
        Assert.Equal("Content-Type: text/plain\r\nce-specversion: 1.0\r\nce-id: e1\r\nknative-x: kx\r\n", Encoding.ASCII.GetString(lines!));
        Assert.Same(lines, http.HeaderLines);
        Assert.Equal("ce-specversion: 1.0\r\nce-id: e1\r\n", Encoding.ASCII.GetString(Event(null).HeaderLines!)); // binary mode without data
    }

    [Theory]
    [InlineData("text/plain; charset=\u00e9", "e1")] // not ASCII
    [InlineData("text/plain", "a\r\nInjected: yes")] // a line break would add a header
    [InlineData("text/plain", "tab\tis\tfine")]
    public void Anything_but_visible_ascii_space_and_tab_leaves_the_event_to_a_client_that_validates_headers(string contentType, string id)
    {
        var lines = Event(contentType, id: id).HeaderLines;
        Assert.Equal(id == "tab\tis\tfine", lines is not null);
        Assert.Equal(lines is not null, OutgoingHttpEvent.IsPlainHeaderText(contentType) && OutgoingHttpEvent.IsPlainHeaderText(id));
    }
}
