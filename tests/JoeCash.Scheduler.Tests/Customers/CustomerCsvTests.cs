using System.Text;
using JoeCash.Scheduler.Customers;
using JoeCash.Scheduler.Domain;
using JoeCash.Scheduler.Tests.Infrastructure;

namespace JoeCash.Scheduler.Tests.Customers;

public sealed class CustomerCsvTests
{
    private const string Header = "Kundennummer;Firma;Filiale;Ort;Bundesland;Ansprechpartner;E-Mail;Telefon;RustDesk-ID;Sprache;Supportvertrag;Öffnungszeiten";

    private static (IReadOnlyList<CustomerInput> Customers, IReadOnlyList<string> Errors) Read(string text, bool bom = true)
    {
        var bytes = (bom ? Encoding.UTF8.GetPreamble() : []).Concat(Encoding.UTF8.GetBytes(text)).ToArray();
        return CustomerCsv.Read(new MemoryStream(bytes), "test.csv");
    }

    /// <summary>The sample export with its two over-long custom RustDesk IDs shortened to valid ones.</summary>
    private static string RepairedExport() =>
        File.ReadAllText(Paths.ShopsCsv, Encoding.UTF8)
            .Replace("Kasse_Stuttgart16", "Kasse_Stgt16", StringComparison.Ordinal)
            .Replace("Kasse_Esslingen17", "Kasse_Essl17", StringComparison.Ordinal);

    [Fact]
    public void Read_SampleExport_ListsTheTwoInvalidRustDeskIdsByLine()
    {
        using var stream = File.OpenRead(Paths.ShopsCsv);

        var (customers, errors) = CustomerCsv.Read(stream, "shops.csv");

        Assert.Empty(customers); // all or nothing
        Assert.Equal(2, errors.Count);
        Assert.StartsWith("shops.csv, line 17 (K10016): RustDesk ID: 'Kasse_Stuttgart16'", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("shops.csv, line 18 (K10017): RustDesk ID: 'Kasse_Esslingen17'", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RepairedExport_ReadsEveryShopAsWritten()
    {
        var (customers, errors) = Read(RepairedExport(), bom: false); // the text already starts with the BOM character

        Assert.Empty(errors);
        Assert.Equal(30, customers.Count);
        var byNumber = customers.ToDictionary(c => c.Number);
        Assert.Equal("Bäckerei Müller GmbH", byNumber["K10001"].Company);
        Assert.Equal("732901938", byNumber["K10001"].RustDeskId?.Value);
        Assert.Equal("732 901 938", byNumber["K10001"].RustDeskId?.Display);
        Assert.Null(byNumber["K10007"].RustDeskId);
        Assert.Equal("Kasse_Leipzig10", byNumber["K10010"].RustDeskId?.Value);
        Assert.Equal("Textil Weber \"Stoffwechsel\"", byNumber["K10027"].Company);
        Assert.Equal("Fahrrad Kette; Speiche", byNumber["K10028"].Company);
        Assert.Equal("Döner Palast, Inh. Yılmaz", byNumber["K10029"].Company);
        Assert.Equal("Mo-Fr 08:00-18:00; Sa 08:00-13:00", byNumber["K10001"].OpeningHours);
        Assert.Equal(Language.En, byNumber["K10030"].Language);
        Assert.False(byNumber["K10005"].SupportContract);
        Assert.Equal(FederalState.SL, byNumber["K10019"].State);
    }

    public static TheoryData<string, string> BadFiles => new()
    {
        { "Kundennummer;Firma;Bundesland;E-Mail\nK1;A;BY;a@shop.test", "line 1: missing column(s) Ansprechpartner" },
        { Header + "\nK1;A;;X;BY;Erika;erika@shop.test;;;de;ja;\nK2;B;;X;BY;Erika;not-an-email;;;de;ja;", "line 3 (K2): email: 'not-an-email' is not an email address (expected name@domain" },
        { Header + "\nK1;A;;X;XX;Erika;erika@shop.test;;;de;ja;", "line 2 (K1): federal state: 'XX' is not a German federal state code" },
        { Header + "\nK1;A;;X;BY;Erika;erika@shop.test;;;de;ja;\nK1;B;;X;BY;Max;max@shop.test;;;de;ja;", "line 3: customer number K1 appears again (first on line 2)." },
        { Header + "\nK1;A;;X;BY;Erika;erika@shop.test;;12345;de;ja;", "line 2 (K1): RustDesk ID: '12345' has 5 digits" },
        { Header + "\nK1;A;;X;BY;Erika;erika@shop.test;;;de;vielleicht;", "support contract: 'vielleicht' is not ja/nein" },
        { Header + "\nK1;A;X;BY;Erika", "line 2: 5 fields, but the header has 12." },
        { Header + "\nK1;A\u0001B;;X;BY;Erika;erika@shop.test;;;de;ja;", "company contains an invisible control or format character (U+0001)" },
        { Header + "\nK1;" + new string('A', 201) + ";;X;BY;Erika;erika@shop.test;;;de;ja;", "company is 201 characters long; at most 200 are allowed." },
        { Header + "\nK1;A;;X;BY;Erika;erika@shop.test;;;de;ja;Mo-Fr 8-18 Uhr", "line 2 (K1): opening hours: '8-18 Uhr' is not a time window like 08:00-17:00" },
        { Header + "\nK1;A;;X;BY;Erika;erika@shop.test;;;de;ja;täglich 10:00-20:00", "line 2 (K1): opening hours: 'täglich' is not a day or day range" },
        { Header + ";Extra\nK1;A;;X;BY;Erika;erika@shop.test;;;de;ja;;x", "unknown column(s) Extra" },
        { "", "the file is empty" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Read_BadRows_EachNamedWithItsLineAndNothingReturned(string text, string expected)
    {
        var (customers, errors) = Read(text);

        Assert.Empty(customers);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Read_MultilineQuotedField_LineNumbersStayThoseOfTheFile()
    {
        var text = Header + "\nK1;A;;X;BY;Erika;erika@shop.test;;;de;ja;\"Mo-Fr 08:00-18:00\nSa 08:00-13:00\"\nK2;B;;X;BY;Max;kaputt;;;de;ja;";

        var (_, errors) = Read(text);

        Assert.StartsWith("test.csv, line 4 (K2): email: 'kaputt' is not an email address", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Windows1252File_RefusedWithAHowTo()
    {
        var latin1 = Encoding.Latin1.GetBytes(Header + "\nK1;Bäckerei;;München;BY;Jörg;joerg@shop.test;;;de;ja;");

        var (customers, errors) = CustomerCsv.Read(new MemoryStream(latin1), "alt.csv");

        Assert.Empty(customers);
        Assert.Contains("not UTF-8", Assert.Single(errors), StringComparison.Ordinal);
    }
}
