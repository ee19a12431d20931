// Products by Food Traceability List category ("every soft cheese").
CREATE INDEX product_ftl_category IF NOT EXISTS FOR (p:Product) ON (p.ftl_category)
